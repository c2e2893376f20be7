# The OpenSearch domain. Only the domain lives here: the functions create their indices at
# start from the definitions in infra/opensearch/, the same way they do locally.

locals {
  # Zone awareness needs one subnet per zone; a single node uses the first subnet.
  opensearch_zone_count = min(length(var.subnet_ids), var.opensearch_instance_count, 3)
}

resource "aws_iam_service_linked_role" "opensearch" {
  count            = var.create_opensearch_service_linked_role ? 1 : 0
  aws_service_name = "opensearchservice.amazonaws.com"
}

resource "aws_security_group" "opensearch" {
  name_prefix = "${var.name}-opensearch-"
  description = "Quarry OpenSearch domain: HTTPS from the Quarry functions only."
  vpc_id      = var.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "opensearch_from_lambda" {
  security_group_id            = aws_security_group.opensearch.id
  description                  = "HTTPS from the Quarry functions."
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_opensearch_domain" "this" {
  domain_name    = var.name
  engine_version = var.opensearch_engine_version

  cluster_config {
    instance_type          = var.opensearch_instance_type
    instance_count         = var.opensearch_instance_count
    zone_awareness_enabled = local.opensearch_zone_count > 1

    dynamic "zone_awareness_config" {
      for_each = local.opensearch_zone_count > 1 ? [local.opensearch_zone_count] : []

      content {
        availability_zone_count = zone_awareness_config.value
      }
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.opensearch_volume_size_gb
  }

  vpc_options {
    subnet_ids         = slice(var.subnet_ids, 0, local.opensearch_zone_count)
    security_group_ids = [aws_security_group.opensearch.id]
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }

  # Fine-grained access control stays off: the functions sign requests with SigV4 and the
  # domain policy below admits only their roles.
  advanced_security_options {
    enabled = false
  }

  tags = var.tags

  depends_on = [aws_iam_service_linked_role.opensearch]

  lifecycle {
    precondition {
      condition     = var.opensearch_instance_count % local.opensearch_zone_count == 0
      error_message = "opensearch_instance_count must be a multiple of the number of zones used (min(subnets, instances, 3))."
    }
  }
}

# The account as principal delegates the decision to IAM: a function role gets in only as far as its
# own policy allows (iam.tf: its indices, its verbs). Naming the roles as principals here would grant
# each of them these verbs on the whole domain, whatever its own policy says.
data "aws_iam_policy_document" "opensearch_access" {
  statement {
    sid       = "QuarryFunctionsThroughTheirOwnPolicies"
    actions   = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"]
    resources = ["${aws_opensearch_domain.this.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = [for role in aws_iam_role.function : role.arn]
    }
  }
}

# Separate from the domain so that the policy can name the domain's own ARN.
resource "aws_opensearch_domain_policy" "this" {
  domain_name     = aws_opensearch_domain.this.domain_name
  access_policies = data.aws_iam_policy_document.opensearch_access.json
}
