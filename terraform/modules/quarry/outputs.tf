output "api_url" {
  description = "Base URL of the HTTP API, e.g. <api_url>/v1/health."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "api_id" {
  description = "Id of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "bucket_name" {
  description = "Documents bucket. Upload PDFs to documents/<tenant>/<name>.pdf."
  value       = aws_s3_bucket.documents.id
}

output "bucket_arn" {
  description = "ARN of the documents bucket."
  value       = aws_s3_bucket.documents.arn
}

output "queue_urls" {
  description = "Work queue URL of each pipeline stage, by function name."
  value       = { for name, queue in aws_sqs_queue.stage : name => queue.url }
}

output "dlq_urls" {
  description = "Dead-letter queue URL of each pipeline stage, by function name."
  value       = { for name, queue in aws_sqs_queue.dlq : name => queue.url }
}

output "opensearch_endpoint" {
  description = "HTTPS endpoint of the OpenSearch domain (reachable from inside the VPC only)."
  value       = "https://${aws_opensearch_domain.this.endpoint}"
}

output "opensearch_domain_arn" {
  description = "ARN of the OpenSearch domain."
  value       = aws_opensearch_domain.this.arn
}

output "function_names" {
  description = "Lambda function name of each function (the pipeline stages and query)."
  value       = { for name, function in aws_lambda_function.this : name => function.function_name }
}

output "function_role_arns" {
  description = "IAM role ARN of each function."
  value       = { for name, role in aws_iam_role.function : name => role.arn }
}

output "lambda_security_group_id" {
  description = "Security group of the functions, e.g. to admit them to VPC endpoints."
  value       = aws_security_group.lambda.id
}

output "artifacts_bucket" {
  description = "Bucket the function zips are uploaded to and deployed from (the module's own or var.artifacts_bucket)."
  value       = local.artifacts_bucket
}

output "console_url" {
  description = "The web console, served by the query function behind the same API."
  value       = "${aws_apigatewayv2_api.this.api_endpoint}/console"
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard that scripts/quarry deploy puts (pipeline records, work and durations; questions' latency by phase, tokens and cost; DLQs; API errors)."
  value       = local.dashboard_name
}

output "dashboard_body" {
  description = "The CloudWatch dashboard's JSON body (aws cloudwatch put-dashboard --dashboard-body)."
  value       = local.dashboard_body
}
