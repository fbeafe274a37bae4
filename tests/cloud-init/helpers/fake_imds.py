#!/usr/bin/env python3
"""A minimal IMDSv2 stand-in for the interruption watcher tests.

Serves PUT /latest/api/token and GET /latest/meta-data/spot/instance-action on
127.0.0.1 only. The notice is posted once the file named by --notice-file
exists (its content is the JSON body). Every request is appended to --log as
"METHOD PATH token=<header>". Tokens listed in --reject-file get a 401.
Writes the bound port to --port-file.
"""
import argparse
import http.server
import itertools
import os

counter = itertools.count(1)


def main():
    parser = argparse.ArgumentParser()
    for name in ("--port-file", "--notice-file", "--log", "--reject-file"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    issued = set()

    class Handler(http.server.BaseHTTPRequestHandler):
        def record(self, token):
            with open(args.log, "a") as log:
                log.write(f"{self.command} {self.path} token={token}\n")

        def reply(self, code, body=b""):
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self):
            ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
            self.record(ttl)
            if self.path != "/latest/api/token" or not ttl:
                return self.reply(400)
            token = f"token-{next(counter)}"
            issued.add(token)
            self.reply(200, token.encode())

        def do_GET(self):
            token = self.headers.get("X-aws-ec2-metadata-token")
            self.record(token)
            rejected = set()
            if os.path.exists(args.reject_file):
                rejected = set(open(args.reject_file).read().split())
            if token not in issued or token in rejected:
                return self.reply(401)
            if self.path != "/latest/meta-data/spot/instance-action":
                return self.reply(404)
            if not os.path.exists(args.notice_file):
                return self.reply(404)
            self.reply(200, open(args.notice_file, "rb").read())

        def log_message(self, *_):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
