provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Application = "quarry"
      Environment = var.name
    }
  }
}

# Users sign in here; their ID token carries the tenant, which only administrators set.
resource "aws_cognito_user_pool" "this" {
  name                     = var.name
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = "INACTIVE"

  schema {
    name                     = "tenant"
    attribute_data_type      = "String"
    mutable                  = true
    developer_only_attribute = false

    string_attribute_constraints {
      min_length = 1
      max_length = 64
    }
  }

  password_policy {
    minimum_length = 12
  }
}

resource "aws_cognito_user_pool_client" "api" {
  name         = "${var.name}-api"
  user_pool_id = aws_cognito_user_pool.this.id

  explicit_auth_flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  read_attributes     = ["email", "custom:tenant"]
  # custom:tenant is deliberately not writable by users: it decides what they can see.
  write_attributes = ["email"]
}

# The web console signs in against the user pool's endpoint with USER_PASSWORD_AUTH (over TLS, no client
# secret: code in a browser cannot keep one) and sends the ID token, which carries custom:tenant, to the
# API. Short-lived tokens: the console keeps them in session storage only and asks again when they expire.
resource "aws_cognito_user_pool_client" "console" {
  name         = "${var.name}-console"
  user_pool_id = aws_cognito_user_pool.this.id

  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  read_attributes               = ["email", "custom:tenant"]
  write_attributes              = ["email"]
  id_token_validity             = 60
  access_token_validity         = 60
  refresh_token_validity        = 1

  token_validity_units {
    id_token      = "minutes"
    access_token  = "minutes"
    refresh_token = "days"
  }
}

resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

module "quarry" {
  source = "../../modules/quarry"

  name         = var.name
  package_type = var.package_type
  snap_start   = var.snap_start
  # The Quarkus build writes functions/<name>/target/function.zip in this repository.
  artifacts_dir = "${path.root}/../../../functions"

  vpc_id     = aws_vpc.this.id
  subnet_ids = [for subnet in aws_subnet.private : subnet.id]

  opensearch_instance_type              = "t3.medium.search"
  opensearch_instance_count             = var.high_availability ? 2 : 1
  opensearch_volume_size_gb             = 20
  create_opensearch_service_linked_role = true

  jwt_issuer        = "https://cognito-idp.${var.region}.amazonaws.com/${aws_cognito_user_pool.this.id}"
  jwt_audience      = [aws_cognito_user_pool_client.api.id, aws_cognito_user_pool_client.console.id]
  auth_tenant_claim = "custom:tenant"

  console_cognito_client_id = aws_cognito_user_pool_client.console.id

  embedding_model_id        = "amazon.titan-embed-text-v2:0"
  embedding_dimension       = 1024
  answer_provider           = var.answer_provider
  answer_model_id           = var.answer_model_id
  answer_endpoint           = var.answer_endpoint
  answer_api_key_secret_arn = var.answer_api_key_secret_arn

  maximum_concurrency  = 5
  work_expiration_days = 14
  log_retention_days   = 30
  alarm_actions        = [aws_sns_topic.alarms.arn]
  bucket_force_destroy = true

  tags = {
    Component = "quarry"
  }
}
