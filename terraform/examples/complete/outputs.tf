output "api_url" {
  description = "Base URL of the Quarry HTTP API."
  value       = module.quarry.api_url
}

output "console_url" {
  description = "The web console (sign in with a user of the Cognito user pool)."
  value       = module.quarry.console_url
}

output "bucket_name" {
  description = "Documents bucket."
  value       = module.quarry.bucket_name
}

output "queue_urls" {
  description = "Work queue of each stage."
  value       = module.quarry.queue_urls
}

output "dlq_urls" {
  description = "Dead-letter queue of each stage."
  value       = module.quarry.dlq_urls
}

output "opensearch_endpoint" {
  description = "OpenSearch endpoint (inside the VPC)."
  value       = module.quarry.opensearch_endpoint
}

output "function_names" {
  description = "Lambda function names."
  value       = module.quarry.function_names
}

output "user_pool_id" {
  description = "Cognito user pool whose ID tokens the API accepts."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_client_id" {
  description = "Cognito app client id (the JWT audience)."
  value       = aws_cognito_user_pool_client.api.id
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the pipeline and the questions."
  value       = module.quarry.dashboard_name
}

output "dashboard_body" {
  description = "The dashboard's JSON body, put by scripts/quarry deploy."
  value       = module.quarry.dashboard_body
}
