"""Steps that need a person: clear failure without a terminal, a real prompt with one."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from syncproof.channels.amazon import AmazonActions
from syncproof.config import parse_config
from syncproof.interaction import PersonNeeded, ask_person
from syncproof.model import Money, OrderLine


def test_without_interactive_the_step_names_what_a_person_must_do():
    with pytest.raises(PersonNeeded) as info:
        ask_person("In Seller Central, refund order 112-0000000-0000001.", interactive=False)
    assert "refund order 112-0000000-0000001" in str(info.value) and "--interactive" in str(info.value)


def test_live_amazon_order_needs_a_person_and_ci_gets_a_clear_message(runtime):
    live = SimpleNamespace(client={"amazon": runtime.client("amazon")}.get, sandbox=None, interactive=True,
                           config=parse_config({"project": {"target": "live"}}))
    actions = AmazonActions(live)
    line = OrderLine("1", "SP-MUG-01", 2, Money("14.50", "USD"), Money("0", "USD"), Money("0", "USD"))
    with pytest.raises(PersonNeeded) as info:  # pytest's stdin is not a terminal, as in CI
        actions.place_order([line], shipping=None, customer=("A", "a@example.com"), note="")
    assert "2 x SP-MUG-01" in str(info.value)


def test_in_a_terminal_the_person_is_asked_and_answers():
    code = ("from syncproof.interaction import ask_person; "
            "print('ANSWER=' + ask_person('Refund order 113-1 in Seller Central.', interactive=True, "
            "question='Amazon order id'))")
    controller, terminal = os.openpty()
    process = subprocess.Popen([sys.executable, "-c", code], stdin=terminal, stdout=subprocess.PIPE, text=True)
    os.close(terminal)
    os.write(controller, b"113-7654321-1234567\n")
    out, _ = process.communicate(timeout=30)
    os.close(controller)
    assert "ACTION NEEDED" in out and "Refund order 113-1 in Seller Central." in out
    assert "ANSWER=113-7654321-1234567" in out
