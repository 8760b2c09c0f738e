#!/usr/bin/env bash
# Publishes the web client to a deployed stack: builds web/dist, writes its
# config.json from the stack's outputs (the API's address, the user pool's
# client, Cognito's regional endpoint), copies both to the web bucket and
# clears CloudFront's cache. Needs the AWS CLI and credentials for the stack.
#
#   bash infra/deploy_web.sh [stack-name]     (default: local-claims)
set -euo pipefail
cd "$(dirname "$0")/.."
STACK="${1:-local-claims}"

output() {
  aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

REGION="$(aws configure get region || echo eu-west-2)"
BUCKET="$(output WebBucketName)"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
cat > web/dist/config.json <<JSON
{"apiBase": "$(output ApiUrl)", "sessionBase": "", "cognitoEndpoint": "https://cognito-idp.${REGION}.amazonaws.com/", "userPoolClientId": "$(output UserPoolClientId)"}
JSON
aws s3 sync web/dist "s3://${BUCKET}/" --delete --cache-control "no-cache"
DISTRIBUTION="$(aws cloudfront list-distributions \
  --query "DistributionList.Items[?Origins.Items[0].DomainName=='${BUCKET}.s3.${REGION}.amazonaws.com'].Id | [0]" --output text)"
aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION" --paths "/*" >/dev/null
echo "published the web client: $(output WebUrl)"
