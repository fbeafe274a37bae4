#!/usr/bin/env bats
# fetch-env.sh (SSM SecureString -> /run/openclaw/.env) and ecr-login.sh.
# The AWS CLI and docker are stubs here: what is under test is where the
# secret goes (file, mode, atomicity) and where it must never go (logs, argv).

load helpers/common

FETCH=$SCRIPTS/fetch-env.sh
ECR=$SCRIPTS/ecr-login.sh
SECRET='OPENCLAW_GATEWAY_TOKEN=s3cr3t-token-value'

setup() {
  isolate_env
  T=$BATS_TEST_TMPDIR
  export OPENCLAW_ENV_FILE=$T/run/openclaw/.env OPENCLAW_MOUNT_POINT=$T/opt/openclaw
  export OPENCLAW_SSM_ENV_PARAMETER=/openclaw/dev/env OPENCLAW_REGION=eu-west-1
  export AWS_BIN
  AWS_BIN=$(stub aws "printf '%s\nANTHROPIC_API_KEY=sk-ant-secret\n' '$SECRET'")
}

@test "writes the parameter to a 0600 file in a 0700 dir, and never logs it" {
  run "$FETCH"
  [ "$status" -eq 0 ]
  [ "$(stat -c %a "$OPENCLAW_ENV_FILE")" = 600 ]
  [ "$(stat -c %a "$(dirname "$OPENCLAW_ENV_FILE")")" = 700 ]
  [ "$(head -n1 "$OPENCLAW_ENV_FILE")" = "$SECRET" ]
  grep -qx 'ANTHROPIC_API_KEY=sk-ant-secret' "$OPENCLAW_ENV_FILE"
  [[ "$output" != *s3cr3t* && "$output" != *sk-ant* ]]
  assert_output_has "2 entries"
  [ "$(calls aws)" = "--region eu-west-1 ssm get-parameter --name /openclaw/dev/env --with-decryption --query Parameter.Value --output text" ]
  [ -z "$(find "$(dirname "$OPENCLAW_ENV_FILE")" -name '.env.*')" ]
}

@test "refuses to put secrets on the data volume" {
  OPENCLAW_ENV_FILE=$OPENCLAW_MOUNT_POINT/.env run "$FETCH"
  [ "$status" -ne 0 ]
  assert_output_has "refusing to write secrets under the data volume"
  [ ! -e "$OPENCLAW_MOUNT_POINT/.env" ]
  [ -z "$(calls aws)" ]
}

@test "an SSM failure keeps the previous file intact and fails" {
  mkdir -p "$(dirname "$OPENCLAW_ENV_FILE")"
  echo 'OLD=1' >"$OPENCLAW_ENV_FILE"
  AWS_BIN=$(stub aws 'echo "partial output"; echo "AccessDeniedException" >&2; exit 254')
  run "$FETCH"
  [ "$status" -ne 0 ]
  assert_output_has "could not read SSM parameter /openclaw/dev/env"
  [ "$(cat "$OPENCLAW_ENV_FILE")" = OLD=1 ]
  [ -z "$(find "$(dirname "$OPENCLAW_ENV_FILE")" -name '.env.*')" ]
}

@test "no parameter configured: an empty 0600 file, no AWS call" {
  OPENCLAW_SSM_ENV_PARAMETER= run "$FETCH"
  [ "$status" -eq 0 ]
  [ -f "$OPENCLAW_ENV_FILE" ]
  [ ! -s "$OPENCLAW_ENV_FILE" ]
  [ "$(stat -c %a "$OPENCLAW_ENV_FILE")" = 600 ]
  [ -z "$(calls aws)" ]
}

@test "ECR image: docker login with the password on stdin, never in argv or logs" {
  AWS_BIN=$(stub aws 'echo ecr-password-123')
  DOCKER_BIN=$(stub docker "cat >'$T/docker.stdin'")
  export DOCKER_BIN
  OPENCLAW_IMAGE=123456789012.dkr.ecr.me-central-1.amazonaws.com/openclaw:2026.1 run "$ECR"
  [ "$status" -eq 0 ]
  [ "$(calls aws)" = "--region me-central-1 ecr get-login-password" ]
  [ "$(calls docker)" = "login --username AWS --password-stdin 123456789012.dkr.ecr.me-central-1.amazonaws.com" ]
  [ "$(cat "$T/docker.stdin")" = ecr-password-123 ]
  [[ "$output" != *ecr-password* ]]
}

@test "image outside ECR: no login at all" {
  DOCKER_BIN=$(stub docker)
  export DOCKER_BIN
  for image in ghcr.io/openclaw/openclaw:latest openclaw:local \
    evil.example/123456789012.dkr.ecr.eu-west-1.amazonaws.com/x; do
    OPENCLAW_IMAGE=$image run "$ECR"
    [ "$status" -eq 0 ]
  done
  [ -z "$(calls aws)" ]
  [ -z "$(calls docker)" ]
}
