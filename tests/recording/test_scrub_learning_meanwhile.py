"""A pseudonymiser is shared by scrubbers on several threads (the report's process-wide scrubber is the
clients' redactor): one learning a name or e-mail address while another scrubs a text adds to the derived ids
that text is being searched for, which must not break that scrub."""

from __future__ import annotations

import sys

from syncproof.recording._scrub import Pseudonymiser, Scrubber


def test_a_value_learned_while_a_text_is_scrubbed_does_not_break_the_scrub():
    personal = Pseudonymiser(7)
    personal.fake("email", "first.buyer@example.com")  # derived ids to look for in free text
    scrubber = Scrubber(personal=personal)
    learned = []

    def another_thread_learns(frame, event, arg):  # runs at each line of the scrub, as a thread switch could
        if frame.f_code.co_name == "_scrubbed_text" and event == "line" and not learned \
                and "real" in frame.f_locals:  # inside the loop over the derived ids
            learned.append(personal.fake("email", "second.buyer@example.com"))
        return another_thread_learns

    sys.settrace(another_thread_learns)
    try:
        scrubbed = scrubber.text("a note with no address in it, long enough to be searched")
    finally:
        sys.settrace(None)
    assert learned, "the trace never reached the loop over the derived ids"
    assert scrubbed == "a note with no address in it, long enough to be searched"
