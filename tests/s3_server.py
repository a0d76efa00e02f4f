"""A real S3 API on loopback: moto's standalone server (requirements-dev.txt), started as a subprocess.

The site's media storage (django-storages' S3Storage, site/settings/base.py) talks to it over HTTP
exactly as it would to AWS or another S3-compatible service; nothing in the process is patched.
"""

import itertools
import json
import os
import subprocess
import sys

import boto3

from .live_site import free_port, stop_server, wait_until_answering

REGION = "us-east-1"
# What Wagtail writes under each prefix: images/ (renditions, in pages) and original_images/ are for
# everyone; documents/ are Wagtail's to hand out (/documents/<id>/<name> checks their privacy).
PUBLIC_PREFIXES = ("images/", "original_images/")
# moto accepts any credentials; boto3 insists on having some. Never real ones.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "moto-test-key", "AWS_SECRET_ACCESS_KEY": "moto-test-secret"}


class S3Server:
    """``python -m moto.server`` on 127.0.0.1 at a free port; ``start()`` returns once it answers."""

    _buckets = itertools.count(1)

    def __init__(self, log=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = None

    def start(self):
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        # Its own environment: no credentials or endpoint of this machine's reach it.
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        with open(self.log or os.devnull, "w") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until_answering(f"{self.url}/", self.process)  # stops it if it never answers
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            stop_server(self.process)

    def client(self):
        """A boto3 S3 client for the server, with the stand-in credentials (not the environment's)."""
        keys = {"aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"]}
        keys["aws_secret_access_key"] = CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
        return boto3.client("s3", endpoint_url=self.url, region_name=REGION, **keys)

    def create_bucket(self, prefix="media"):
        """A new, empty bucket: each test gets its own, so none sees another's files."""
        name = f"{prefix}-{os.getpid()}-{next(self._buckets)}"
        self.client().create_bucket(Bucket=name)
        return name

    def make_images_public(self, bucket):
        """The bucket policy the README gives: anyone may read images, nobody else's documents."""
        resources = [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in PUBLIC_PREFIXES]
        statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": resources}
        policy = {"Version": "2012-10-17", "Statement": [{"Sid": "PublicImages", **statement}]}
        self.client().put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))

    def keys(self, bucket, prefix=""):
        """Every key in ``bucket`` under ``prefix``, as S3 lists them."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def read(self, bucket, key):
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()
