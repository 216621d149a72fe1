"""Shared by the analysis and notebook tests: the demo account at a fixed moment, and plain boto3
readers that compute expected values independently of ``ppv2kit.analysis``."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from botocore.client import BaseClient

import ppv2kit
from ppv2kit.analysis import Inventory, inventory
from ppv2kit.kit import Kit
from ppv2kit.sandbox import Sandbox

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=timezone.utc)
NOW_TEXT = "2026-11-27T15:00:00Z"
REGIONS = ("us-east-1", "eu-west-2", "ap-southeast-2")


@functools.cache
def demo() -> tuple[Sandbox, Kit, Inventory]:
    """The demo account at :data:`NOW`, its kit and its inventory (shared: never change it)."""
    sb = Sandbox(seed="demo", now=NOW, strict=True)
    kit = ppv2kit.connect(sandbox=sb)
    return sb, kit, inventory(kit)


class Api:
    """Plain boto3 reads of a sandbox, one client per region."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self._clients: dict[tuple[str, str], BaseClient] = {}

    def client(self, region: str, service: str = "pinpoint-sms-voice-v2") -> BaseClient:
        key = (region, service)
        if key not in self._clients:
            self._clients[key] = self.sb.client(region_name=region, service_name=service)
        return self._clients[key]

    def pages(self, region: str, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
        paginator = self.client(region).get_paginator(operation)
        return [item for page in paginator.paginate(**params) for item in page[key]]

    def numbers(self, region: str) -> list[dict[str, Any]]:
        return self.pages(region, "describe_phone_numbers", "PhoneNumbers")

    def sender_ids(self, region: str) -> list[dict[str, Any]]:
        return self.pages(region, "describe_sender_ids", "SenderIds")

    def pools(self, region: str) -> list[dict[str, Any]]:
        return self.pages(region, "describe_pools", "Pools")

    def members(self, region: str, pool_id: str) -> list[dict[str, Any]]:
        return self.pages(
            region, "list_pool_origination_identities", "OriginationIdentities", PoolId=pool_id
        )

    def config_sets(self, region: str) -> list[dict[str, Any]]:
        return self.pages(region, "describe_configuration_sets", "ConfigurationSets")

    def lists(self, region: str) -> list[str]:
        found = self.pages(region, "describe_opt_out_lists", "OptOutLists")
        return [o["OptOutListName"] for o in found]

    def opted_out(self, region: str, name: str) -> list[dict[str, Any]]:
        return self.pages(
            region, "describe_opted_out_numbers", "OptedOutNumbers", OptOutListName=name
        )

    def keywords(self, region: str, identity: str) -> list[dict[str, Any]]:
        return self.pages(region, "describe_keywords", "Keywords", OriginationIdentity=identity)

    def tags(self, region: str, arn: str) -> dict[str, str]:
        found = self.client(region).list_tags_for_resource(ResourceArn=arn)["Tags"]
        return {t["Key"]: t["Value"] for t in found}

    def pool_named(self, region: str, name: str) -> dict[str, Any]:
        return next(
            p for p in self.pools(region) if self.tags(region, p["PoolArn"]).get("Name") == name
        )

    def everything_opted_out(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for region in REGIONS:
            for name in self.lists(region):
                for entry in self.opted_out(region, name):
                    yield region, name, entry


def price(value: str) -> Decimal:
    """A ``MonthlyLeasingPrice`` string as an exact amount."""
    return Decimal(value.replace("$", "").replace(",", ""))
