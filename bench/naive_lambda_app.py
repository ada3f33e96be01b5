"""The yardstick for cold starts: a FastAPI app behind Mangum as a tutorial writes it.

Everything at import: FastAPI, Mangum, boto3 and a DynamoDB table handle made up front, one
route that checks for a bearer token. ``bench/cold_start.py`` times importing this module and
serving one request next to each of our functions doing the same.
"""

from __future__ import annotations

import os

import boto3
from fastapi import FastAPI, Header, HTTPException
from mangum import Mangum

table = boto3.resource("dynamodb", region_name=os.environ.get("AWS_REGION")).Table("items")
app = FastAPI()


@app.get("/v1/items/{item_id}")
def get_item(item_id: str, authorization: str | None = Header(default=None)) -> dict:
    """Refuses a request without a token, as every route of ours does without one."""
    if not authorization:
        raise HTTPException(status_code=401, detail="missing bearer token")
    return table.get_item(Key={"id": item_id}).get("Item", {})


lambda_handler = Mangum(app, lifespan="off")
