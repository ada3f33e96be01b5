"""Local mode: the whole control plane on one machine, driven by ``template.yaml``.

moto stands in for DynamoDB, SQS, KMS and Secrets Manager; a template-driven HTTP API and
SQS event sources stand in for API Gateway and Lambda (``sam local`` needs Docker). Nothing
here is imported by the deployables.
"""
