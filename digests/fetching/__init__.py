"""Fetching feeds over HTTP: the only package that imports httpx (see `fetcher`)."""

from digests.fetching.errors import FetchError, FetchErrorKind
from digests.fetching.fetcher import Fetcher, FetchResult
from digests.fetching.resolving import Resolver, system_resolver

__all__ = ["FetchError", "FetchErrorKind", "FetchResult", "Fetcher", "Resolver", "system_resolver"]
