"""The sender's figures for /metrics, read at scrape time (the registry's custom-collector pattern, as
elior/ops/metrics.py does for the database's): the lead registers it with
`metrics.for_app(app).registry.register(MailCollector(mail))`.

The counters are this process's; the gauges are the whole queue as the sender saw it at its last pass (a scrape
must not wait on the database), so every process reports the same gauges.
"""
from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

if TYPE_CHECKING:
    from elior.mail.sender import MailSender


class MailCollector:
    def __init__(self, sender: "MailSender") -> None:
        self.sender = weakref.ref(sender)  # the registry lives in app.state beside the sender: no cycle

    def collect(self) -> Iterator[Metric]:
        sender = self.sender()
        if sender is None:
            return
        figures = sender.figures
        yield GaugeMetricFamily("elior_mail_enabled", "1 when SMTP_HOST and MAIL_FROM are set.",
                                value=int(sender.enabled))
        yield CounterMetricFamily("elior_mail_sent", "Mails this process handed to the SMTP server.",
                                  value=figures.sent)
        yield CounterMetricFamily("elior_mail_failed", "Mails this process gave up on.", value=figures.failed)
        yield CounterMetricFamily("elior_mail_retries", "Attempts of this process that failed and will be retried.",
                                  value=figures.retried)
        yield GaugeMetricFamily("elior_mail_queued", "Mails waiting in the queue at the sender's last pass.",
                                value=figures.queued_now)
        yield GaugeMetricFamily("elior_mail_failed_kept", "Failed mails kept (30 days) at the sender's last pass.",
                                value=figures.failed_now)
