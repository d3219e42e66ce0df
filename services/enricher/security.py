"""Broker connection security: settings → the TLS context and SASL credentials the Kafka clients take.

One mapping for every client: faust (through `faust_credentials`), and aiokafka and kafka-python
(through `client_kwargs`, whose keys both libraries accept under the same names). Secrets leave the
settings object only here, unwrapped at the last moment and never logged.
"""

from __future__ import annotations

import ssl
from typing import Any

from faust.auth import SASLCredentials, SSLCredentials
from faust.types.auth import CredentialsT

from services.enricher.settings import EnricherSettings

TLS_PROTOCOLS = frozenset({"SSL", "SASL_SSL"})
SASL_PROTOCOLS = frozenset({"SASL_PLAINTEXT", "SASL_SSL"})


class SecurityConfigError(ValueError):
    """The security settings are incomplete or contradictory."""


def ssl_context(settings: EnricherSettings) -> ssl.SSLContext | None:
    """A client TLS context verifying the broker (CA file, else system CAs), with a client cert for mTLS."""
    if settings.security_protocol not in TLS_PROTOCOLS:
        return None
    if settings.ssl_keyfile and not settings.ssl_certfile:
        raise SecurityConfigError("ssl_keyfile is set without ssl_certfile")
    context = ssl.create_default_context(
        ssl.Purpose.SERVER_AUTH, cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None
    )
    if settings.ssl_certfile:
        context.load_cert_chain(
            str(settings.ssl_certfile),
            str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
            settings.ssl_key_password.get_secret_value() if settings.ssl_key_password else None,
        )
    return context


def _sasl_login(settings: EnricherSettings) -> tuple[str, str]:
    if not settings.sasl_username or settings.sasl_password is None:
        raise SecurityConfigError(f"{settings.security_protocol} needs sasl_username and sasl_password")
    return settings.sasl_username, settings.sasl_password.get_secret_value()


def faust_credentials(settings: EnricherSettings) -> CredentialsT | None:
    """`broker_credentials` for `faust.App`; None for PLAINTEXT."""
    context = ssl_context(settings)
    if settings.security_protocol in SASL_PROTOCOLS:
        username, password = _sasl_login(settings)
        return SASLCredentials(
            username=username, password=password, mechanism=settings.sasl_mechanism, ssl_context=context
        )
    if context is not None:
        return SSLCredentials(context)
    return None


def client_kwargs(settings: EnricherSettings) -> dict[str, Any]:
    """Security keyword arguments for aiokafka and kafka-python producers, consumers and admin clients."""
    kwargs: dict[str, Any] = {"security_protocol": settings.security_protocol}
    context = ssl_context(settings)
    if context is not None:
        kwargs["ssl_context"] = context
    if settings.security_protocol in SASL_PROTOCOLS:
        username, password = _sasl_login(settings)
        kwargs |= {
            "sasl_mechanism": settings.sasl_mechanism,
            "sasl_plain_username": username,
            "sasl_plain_password": password,
        }
    return kwargs
