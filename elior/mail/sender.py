"""The sender: a task of the server's lifespan that sends the queued mail after commit, and retries what failed.

    mail = MailSender(settings, db)      # in create_app; app.state.mail, so a feature can call mail.wake()
    await mail.start()                   # in the lifespan, after the migrations
    await mail.stop()                    # in the lifespan's finally, before the database disconnects

A pass claims one due row at a time (sql/mail/queue/claim*.sql: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so several
processes share the queue and never claim one mail together), sends it over one SMTP connection kept for the pass,
and records the outcome with the claim's token. The claim moves the row's `next_attempt_at` past the longest a send
may take (SMTP_TIMEOUT_SECONDS times CLAIM_ROUND_TRIPS), so the mail of a process that dies mid-send is claimed
again by any sender once that time has passed: **delivery is at least once**. A crash between the server's "250 OK"
and the UPDATE that records it sends the mail again, with the same Message-ID (elior.mail.smtp); no crash loses one.

A failed attempt is retried after the waits of MAIL_RETRY_AFTER (1 min, 5 min, 30 min, 2 h), then the mail is marked
failed; a 5xx about the mail itself (an unknown recipient) fails it at once. When the server cannot be reached the
pass stops at the first mail, so an outage costs one attempt per poll, not one per queued mail. Between passes the
task sleeps until the next mail falls due, MAIL_POLL_SECONDS at most (other processes queue mail too), or until
`wake()`. Every attempt is logged with the mail's id, never its address, subject or body.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from elior import clock
from elior.db.database import Database
from elior.mail import queue
from elior.mail.config import MailConfig, is_loopback
from elior.mail.smtp import Outcome, Session, build_message, describe, judge
from elior.settings import Settings
from elior.web.errors import log_failure

log = logging.getLogger("elior.mail")

T = TypeVar("T")
MAILS_PER_CONNECTION = 50  # then the pass ends and the next opens a fresh one: servers cap mails per connection
STOP_GRACE_SECONDS = 10.0  # stop() lets the mail being sent finish this long before cancelling the task
PRUNE_EVERY = 360  # passes between deletions of old done mail (an hour at the default poll)


@dataclass
class Figures:
    """What this process did (counters) and how the queue looked at its last pass (gauges), for /metrics."""

    sent: int = 0
    failed: int = 0
    retried: int = 0
    queued_now: int = 0
    failed_now: int = 0


class MailSender:
    def __init__(self, settings: Settings, db: Database) -> None:
        self.config = MailConfig.from_settings(settings)  # a malformed mail setting stops the start, on or off
        self.db = db
        self.figures = Figures()
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._executor: ThreadPoolExecutor | None = None
        self._passes = 0

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    async def start(self) -> None:
        if not self.enabled:
            log.info("mail is off", extra={"reason": self.config.disabled_reason})
            return
        if self.config.user and not self.config.starttls and not is_loopback(self.config.host):
            log.warning("SMTP_USER is set and SMTP_STARTTLS is off: the password crosses the network in clear")
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run_forever(), name="elior-mail-sender")

    def wake(self) -> None:
        """Look at the queue now (call it after the transaction that queued a mail has committed)."""
        self._wake.set()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True
            self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_GRACE_SECONDS)
            except TimeoutError:  # a send still hangs: its claim lapses and another pass sends it (at least once)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._executor is not None:
            self._executor.shutdown(wait=False)  # what is left on it is a close, which must still run
            self._executor = None

    async def run_once(self) -> tuple[int, bool]:
        """One pass: attempt every mail due now. How many attempts were made, and whether the server was
        unreachable (then the rest waits for the next pass)."""
        attempts, broken, session = 0, False, None
        try:
            while not self._stopping and attempts < MAILS_PER_CONNECTION and not broken:
                now, claim = clock.now(), secrets.token_hex(16)
                row = await self.db.fetch_one("mail.queue.claim", claim=claim, now=now,
                                              lease_until=now + self.config.claim_lasts)
                if row is None:
                    break
                attempts += 1
                error: BaseException | None = None
                step = "build"
                try:
                    message = build_message(self.config, row)
                    step = "connect"
                    if session is None:
                        session = await self._in_thread(Session, self.config)
                    step = "send"
                    await self._in_thread(session.send, message)
                except Exception as failure:  # judged below: every failure is recorded on the row, none escapes
                    error = failure
                outcome = judge(error, connecting=step == "connect")
                await self._record(row, claim, outcome, error)
                broken = outcome is Outcome.BROKEN
        except BaseException:  # cancelled (a stop that could not wait), or the database failed under us
            if session is not None:
                session.abort()  # a send that hangs returns at once; the thread then closes the connection
                self._executor_of().submit(session.close, False)
            raise
        if session is not None:
            await self._in_thread(session.close, not broken)
        return attempts, broken

    async def _record(self, row: dict[str, Any], claim: str, outcome: Outcome, error: BaseException | None) -> None:
        now, attempt = clock.now(), int(row["attempts"])
        facts: dict[str, Any] = {"mail_id": row["id"], "attempt": attempt}
        if outcome is Outcome.SENT:
            recorded = await self.db.fetch_val("mail.queue.sent", id=row["id"], claim=claim, now=now)
            self.figures.sent += 1
            log.info("mail sent", extra=facts)
        elif outcome is Outcome.REFUSED or attempt >= self.config.attempts:
            assert error is not None
            reason = describe(error)
            recorded = await self.db.fetch_val("mail.queue.failed", id=row["id"], claim=claim, now=now, error=reason)
            self.figures.failed += 1
            log.warning("mail failed for good", extra={**facts, "error": reason})
        else:
            assert error is not None
            reason, retry_at = describe(error), now + self.config.retry_after[attempt - 1]
            recorded = await self.db.fetch_val("mail.queue.retry", id=row["id"], claim=claim, now=now, error=reason,
                                               retry_at=retry_at)
            self.figures.retried += 1
            log.warning("mail attempt failed; it will be retried",
                        extra={**facts, "error": reason, "retry_at": clock.iso(retry_at)})
        if recorded is None:
            # The claim had lapsed (this send took longer than a claim lasts) and another sender took the mail.
            log.warning("mail outcome not recorded: its claim had lapsed", extra=facts)

    async def _run_forever(self) -> None:
        while not self._stopping:
            self._wake.clear()  # a wake() during the pass below makes the wait after it return at once
            try:
                attempts, broken = await self.run_once()
                delay = await self._idle_seconds(attempts, broken)
            except Exception as error:  # the database may be away for a moment: try again at the next poll
                log_failure(log, "mail sender pass failed", error)
                delay = self.config.poll_seconds
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _idle_seconds(self, attempts: int, broken: bool) -> float:
        """How long to sleep: until the next mail falls due, MAIL_POLL_SECONDS at most."""
        self._passes += 1
        if self._passes % PRUNE_EVERY == 1:
            await queue.prune(self.db)
        figures = await queue.counts(self.db)
        self.figures.queued_now, self.figures.failed_now = figures["queued"], figures["failed"]
        poll = self.config.poll_seconds
        due = await queue.next_due(self.db)
        if broken or due is None:
            return poll
        until = (due - clock.now()).total_seconds()
        # Due now but nothing claimed: another process holds those rows for the moment; don't spin on them.
        return min(poll, max(until, 0.0 if attempts else 1.0))

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Run blocking SMTP work on the sender's own thread, so a stalled server holds no shared worker."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor_of(), functools.partial(function, *args))

    def _executor_of(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="elior-mail")
        return self._executor
