import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "../config";
import { PolicyDocument } from "../policies";

export const VPC_CIDR = "10.42.0.0/16";
export const SUBNET_CIDR = "10.42.0.0/24";

export interface Network {
  subnet: aws.ec2.Subnet;
  securityGroup: aws.ec2.SecurityGroup;
  /** The instance needs these before it boots: cloud-init reaches dnf, SSM, S3 and the registry at once. */
  ready: pulumi.Resource[];
}

/**
 * A small VPC of the stack's own with one public subnet in the pinned AZ: no dependency on a default VPC
 * (absent in many accounts), destroyed with the stack, and free apart from the instance's public IPv4.
 * Outbound only: there is no inbound rule, and access is through SSM Session Manager.
 */
/** The only outbound traffic: HTTPS (AWS APIs, package and image registries, model APIs). */
export const EGRESS_PORT = 443;

/**
 * DNS (the VPC resolver), the instance metadata service and NTP (Amazon Time Sync, 169.254.169.123) are not
 * filtered by security groups, so HTTPS is the only rule the instance needs.
 */
export function createNetwork(settings: Settings, tags: Record<string, string>, s3Policy: PolicyDocument): Network {
  const named = (suffix: string) => ({ ...tags, Name: `openclaw-${settings.stack}-${suffix}` });
  const vpc = new aws.ec2.Vpc("openclaw", {
    cidrBlock: VPC_CIDR,
    enableDnsSupport: true,
    enableDnsHostnames: true,
    tags: named("vpc"),
  });
  const subnet = new aws.ec2.Subnet("openclaw", {
    vpcId: vpc.id,
    cidrBlock: SUBNET_CIDR,
    availabilityZone: settings.availabilityZone,
    mapPublicIpOnLaunch: false,
    tags: named(settings.availabilityZone),
  });
  const gateway = new aws.ec2.InternetGateway("openclaw", { vpcId: vpc.id, tags: named("igw") });
  const routeTable = new aws.ec2.RouteTable("openclaw", { vpcId: vpc.id, tags: named("routes") });
  const internetRoute = new aws.ec2.Route("openclaw-internet", {
    routeTableId: routeTable.id,
    destinationCidrBlock: "0.0.0.0/0",
    gatewayId: gateway.id,
  });
  const association = new aws.ec2.RouteTableAssociation("openclaw", {
    subnetId: subnet.id,
    routeTableId: routeTable.id,
  });
  // Free gateway endpoint: backup traffic to S3 stays off the internet gateway, and its policy limits what
  // any credentials can reach in the region's S3 from the instance (src/endpointPolicy.ts).
  const s3Endpoint = new aws.ec2.VpcEndpoint("openclaw-s3", {
    vpcId: vpc.id,
    serviceName: `com.amazonaws.${settings.region}.s3`,
    vpcEndpointType: "Gateway",
    routeTableIds: [routeTable.id],
    policy: JSON.stringify(s3Policy),
    tags: named("s3"),
  });
  const securityGroup = new aws.ec2.SecurityGroup("openclaw-instance", {
    vpcId: vpc.id,
    description: "OpenClaw instance: no inbound rules, access through SSM only",
    ingress: [],
    egress: [
      {
        description: "HTTPS out: SSM, S3, CloudWatch, packages, container registries, model APIs",
        protocol: "tcp",
        fromPort: EGRESS_PORT,
        toPort: EGRESS_PORT,
        cidrBlocks: ["0.0.0.0/0"],
      },
    ],
    tags: named("instance"),
  });
  return { subnet, securityGroup, ready: [internetRoute, association, s3Endpoint] };
}
