# A private network without NAT: the functions reach S3 through a gateway endpoint, Bedrock, SQS
# (and Secrets Manager, when the answer API key is in a secret) through interface endpoints;
# OpenSearch lives in the same subnets.

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  zones = slice(data.aws_availability_zones.available.names, 0, 2)
  # An interface endpoint costs per zone per hour: one zone unless high availability is asked for.
  endpoint_subnet_ids = var.high_availability ? [for subnet in aws_subnet.private : subnet.id] : [aws_subnet.private[local.zones[0]].id]
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = var.name }
}

resource "aws_subnet" "private" {
  for_each = toset(local.zones)

  vpc_id            = aws_vpc.this.id
  availability_zone = each.value
  cidr_block        = cidrsubnet(var.vpc_cidr, 4, index(local.zones, each.value))

  tags = { Name = "${var.name}-private-${each.value}" }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id

  tags = { Name = "${var.name}-private" }
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]

  tags = { Name = "${var.name}-s3" }
}

resource "aws_security_group" "endpoints" {
  name_prefix = "${var.name}-endpoints-"
  description = "Interface endpoints: HTTPS from inside the VPC."
  vpc_id      = aws_vpc.this.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  security_group_id = aws_security_group.endpoints.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.vpc_cidr
}

resource "aws_vpc_endpoint" "bedrock_runtime" {
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.bedrock-runtime"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.endpoint_subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]

  tags = { Name = "${var.name}-bedrock-runtime" }
}

# The functions call SQS themselves: each stage delays a failed message's next delivery
# (ChangeMessageVisibility) and the API sends the index stage an upload's expiry (SendMessage).
# Without NAT this endpoint is their only way to the service (the event source mappings poll
# from outside the VPC and need none).
resource "aws_vpc_endpoint" "sqs" {
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.sqs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.endpoint_subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]

  tags = { Name = "${var.name}-sqs" }
}

# Only with an answer API key in Secrets Manager: the query function reads it at run time, and
# without NAT this endpoint is its only way to the service. It costs per zone-hour like the one above.
resource "aws_vpc_endpoint" "secretsmanager" {
  count = var.answer_api_key_secret_arn == null ? 0 : 1

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.endpoint_subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]

  tags = { Name = "${var.name}-secretsmanager" }
}
