"""A web sign-in service wired on the memory adapters, with a hand-driven clock."""

from __future__ import annotations

from dataclasses import dataclass

from bagboard.adapters.memory.clock import ManualClock
from bagboard.adapters.memory.password_hasher import QuickHasher
from bagboard.adapters.memory.passwords import MemoryPasswordStore
from bagboard.adapters.memory.tokens import MemoryTokenStore
from bagboard.adapters.memory.users import MemoryUserStore
from bagboard.adapters.memory.web_sessions import MemoryWebSessionStore
from bagboard.services.accounts import AccountService
from bagboard.services.passwords import PasswordCheck
from bagboard.services.sign_in_limits import SignInLimiter
from bagboard.services.web_sessions import WebSessionService


@dataclass
class SignInWorld:
    clock: ManualClock
    users: MemoryUserStore
    tokens: MemoryTokenStore
    passwords: MemoryPasswordStore
    sessions: MemoryWebSessionStore
    hasher: QuickHasher
    limiter: SignInLimiter
    check: PasswordCheck
    accounts: AccountService
    service: WebSessionService


def sign_in_world(hasher: QuickHasher | None = None) -> SignInWorld:
    clock = ManualClock()
    tokens = MemoryTokenStore()
    users = MemoryUserStore(tokens)
    passwords = MemoryPasswordStore(users)
    sessions = MemoryWebSessionStore(users)
    hasher = hasher or QuickHasher()
    limiter = SignInLimiter(clock)
    check = PasswordCheck(users, passwords, hasher, limiter, clock)
    accounts = AccountService(users, tokens, clock)
    service = WebSessionService(users, passwords, sessions, check, accounts, clock)
    return SignInWorld(
        clock, users, tokens, passwords, sessions, hasher, limiter, check, accounts, service
    )
