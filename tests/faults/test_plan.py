"""FaultPlan parsing and the injector's decisions, without HTTP."""

from __future__ import annotations

import threading

import pytest

from sandbox._faults import KINDS, FaultInjector, FaultPlan, FaultPlanError, ScheduledFault

ALL_KINDS = "seed=42,rate=0.1,kinds=429+500+502+503+timeout+reset+slow+lost_response"


async def _unused_app(scope, receive, send):  # decide() never calls the app
    raise AssertionError("not called")


def injector(plan: FaultPlan, vendor: str = "netsuite") -> FaultInjector:
    return FaultInjector(_unused_app, plan, vendor=vendor)


def draws(plan: FaultPlan, count: int = 400, vendor: str = "netsuite") -> list[str | None]:
    faulty = injector(plan, vendor)
    return [faulty.decide("GET", f"/services/rest/record/v1/customer/{n}") for n in range(count)]


# parsing ---------------------------------------------------------------------------------
def test_the_documented_env_example_spreads_the_rate_over_the_kinds():
    plan = FaultPlan.from_env({"SYNCPROOF_FAULTS": ALL_KINDS})
    assert plan.seed == 42
    assert list(plan.rates) == list(KINDS)
    assert all(rate == pytest.approx(0.1 / 8) for rate in plan.rates.values())
    assert plan.total_rate == pytest.approx(0.1)


def test_unset_or_empty_env_means_no_plan():
    assert FaultPlan.from_env({}) is None
    assert FaultPlan.from_env({"SYNCPROOF_FAULTS": "  "}) is None


def test_per_kind_rates_options_and_schedule_parse():
    plan = FaultPlan.parse("seed=7, 429=0.05, lost_response=0.01, hold=1.5, delay=0.1, vendors=netsuite+amazon,"
                           "methods=post+put, match=/record/, exclude=^/health,"
                           "at=netsuite.lost_response@2:PUT:/customer/eid:, at=reset@1:*:^/orders")
    assert plan.rates == {"429": 0.05, "lost_response": 0.01}
    assert (plan.hold, plan.delay) == (1.5, 0.1)
    assert plan.vendors == {"netsuite", "amazon"} and plan.methods == {"POST", "PUT"}
    assert (plan.match, plan.exclude) == ("/record/", "^/health")
    assert plan.schedule == (ScheduledFault("lost_response", 2, "PUT", "/customer/eid:", "netsuite"),
                             ScheduledFault("reset", 1, "*", "^/orders"))


def test_a_kind_rate_overrides_its_share_of_rate():
    plan = FaultPlan.parse("rate=0.2,kinds=429+500,500=0.01")
    assert plan.rates == {"429": pytest.approx(0.1), "500": 0.01}


def test_the_dict_form_matches_the_env_form():
    from_dict = FaultPlan.from_dict({
        "seed": 42, "rate": 0.1, "kinds": ["429", "500"], "rates": {"slow": 0.05}, "hold": 1.0,
        "schedule": [{"kind": "lost_response", "nth": 1, "method": "PUT", "path": "/eid:", "vendor": "netsuite"},
                     "reset@3:GET:^/orders"]})
    from_env = FaultPlan.parse("seed=42,rate=0.1,kinds=429+500,slow=0.05,hold=1.0,"
                               "at=netsuite.lost_response@1:PUT:/eid:,at=reset@3:GET:^/orders")
    assert from_dict == from_env


@pytest.mark.parametrize("text", [
    ALL_KINDS,
    "seed=1,429=0.5,at=shopify.timeout@4:POST:graphql\\.json$,hold=0.5,vendors=shopify,methods=POST,match=x,exclude=",
    "seed=3",
])
def test_spec_round_trips(text):
    plan = FaultPlan.parse(text)
    assert FaultPlan.parse(plan.spec()) == plan
    assert str(plan) == plan.spec()


@pytest.mark.parametrize("text, message", [
    ("seed=1,colour=red", "unknown SYNCPROOF_FAULTS key 'colour'"),
    ("rate=0.1,kinds=429+418", "unknown fault kind '418'"),
    ("429=0.7,500=0.6", "add up to 1.3"),
    ("rate=1.5", "between 0 and 1"),
    ("kinds=429", "kinds needs a rate"),
    ("seed=abc", "seed must be an integer"),
    ("match=(", "not a valid regular expression"),
    ("at=reset", "must look like [vendor.]kind@N:METHOD:path-regex"),
    ("at=reset@0:GET:/x", "must be 1 or more"),
    ("at=etsy.reset@1:GET:/x", "unknown vendor 'etsy'"),
    ("seed", "must be key=value"),
    ("vendors=netsuite+etsy", "unknown vendor 'etsy'"),
])
def test_bad_plans_are_one_clear_line(text, message):
    with pytest.raises(FaultPlanError) as raised:
        FaultPlan.from_env({"SYNCPROOF_FAULTS": text})
    assert message in str(raised.value)
    assert str(raised.value).startswith("SYNCPROOF_FAULTS: ")
    assert "\n" not in str(raised.value)


def test_bad_dict_keys_are_refused():
    with pytest.raises(FaultPlanError, match="unknown fault plan key 'rats'"):
        FaultPlan.from_dict({"rats": {}})
    with pytest.raises(FaultPlanError, match="unknown key 'n'"):
        FaultPlan.from_dict({"schedule": [{"kind": "reset", "n": 2}]})


def test_an_unknown_vendor_is_refused_by_the_injector():
    with pytest.raises(FaultPlanError, match="unknown vendor 'etsy'"):
        FaultInjector(_unused_app, FaultPlan(), vendor="etsy")


# decisions ------------------------------------------------------------------------------
def test_same_seed_same_faults_and_another_seed_other_faults():
    plan = FaultPlan.parse(ALL_KINDS.replace("rate=0.1", "rate=0.5"))
    first, again = draws(plan), draws(plan)
    assert first == again
    assert draws(FaultPlan.parse(ALL_KINDS.replace("seed=42", "seed=43").replace("rate=0.1", "rate=0.5"))) != first


def test_each_vendor_draws_its_own_sequence_from_the_seed():
    plan = FaultPlan.parse("seed=42,rate=0.5")
    assert draws(plan, vendor="netsuite") != draws(plan, vendor="amazon")


def test_rates_are_honoured_roughly_and_counted_exactly():
    plan = FaultPlan.parse("seed=5,429=0.2,lost_response=0.05")
    faulty = injector(plan)
    outcomes = [faulty.decide("GET", "/services/x") for _ in range(5000)]
    stats = faulty.stats
    assert stats.requests == stats.eligible == 5000
    assert stats.faults["429"] == outcomes.count("429")
    assert stats.faults["lost_response"] == outcomes.count("lost_response")
    assert 0.17 < stats.faults["429"] / 5000 < 0.23
    assert 0.03 < stats.faults["lost_response"] / 5000 < 0.07
    assert stats.injected == len(stats.events) == 5000 - outcomes.count(None)
    assert set(stats.faults) == set(KINDS)


def test_the_nth_matching_request_gets_the_scheduled_fault():
    plan = FaultPlan.parse("at=lost_response@2:PUT:/customer/eid:,at=netsuite.reset@1:GET:/salesOrder/")
    faulty = injector(plan)
    calls = [("PUT", "/record/v1/customer/eid:a"), ("GET", "/record/v1/customer/1"),
             ("PUT", "/record/v1/item/eid:b"), ("PUT", "/record/v1/customer/eid:c"),
             ("PUT", "/record/v1/customer/eid:d"), ("GET", "/record/v1/salesOrder/5")]
    assert [faulty.decide(m, p) for m, p in calls] == [None, None, None, "lost_response", None, "reset"]
    assert [(e.seq, e.kind, e.scheduled) for e in faulty.stats.events] == [(4, "lost_response", True),
                                                                         (6, "reset", True)]
    assert injector(plan, "amazon").decide("GET", "/record/v1/salesOrder/5") is None  # netsuite only


def test_excluded_paths_are_counted_but_never_faulted():
    faulty = injector(FaultPlan.parse("429=1.0,at=reset@1:*:"))
    assert faulty.decide("POST", "/__sandbox__/seed") is None
    assert faulty.decide("GET", "/services/rest/record/v1/customer/1") == "reset"
    assert faulty.decide("GET", "/services/rest/record/v1/customer/1") == "429"
    stats = faulty.stats
    assert (stats.requests, stats.eligible, stats.injected) == (3, 2, 2)


def test_vendors_methods_and_match_limit_random_faults():
    plan = FaultPlan.parse("500=1.0,vendors=netsuite,methods=GET,match=/customer/")
    assert injector(plan).decide("GET", "/record/v1/customer/1") == "500"
    assert injector(plan).decide("POST", "/record/v1/customer") is None
    assert injector(plan).decide("GET", "/record/v1/item/1") is None
    assert injector(plan, "shopify").decide("GET", "/record/v1/customer/1") is None


def test_configure_and_reset_start_counters_and_sequence_afresh():
    plan = FaultPlan.parse("seed=9,rate=0.5")
    faulty = injector(plan)
    first = [faulty.decide("GET", "/x") for _ in range(50)]
    faulty.reset()
    assert faulty.stats.requests == 0
    assert [faulty.decide("GET", "/x") for _ in range(50)] == first
    faulty.configure(FaultPlan())
    assert faulty.decide("GET", "/x") is None and faulty.stats.injected == 0


def test_counters_are_exact_under_concurrent_requests():
    faulty = injector(FaultPlan.parse("seed=3,rate=0.3"))
    per_thread = 2000

    def hammer():
        for _ in range(per_thread):
            faulty.decide("GET", "/x")

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = faulty.stats
    assert stats.requests == 8 * per_thread
    assert stats.injected == len(stats.events)
    assert sorted(e.seq for e in stats.events) == sorted(set(e.seq for e in stats.events))
    # the draws are the seeded sequence whatever the interleaving: same count as a serial run
    serial = injector(FaultPlan.parse("seed=3,rate=0.3"))
    assert stats.injected == sum(serial.decide("GET", "/x") is not None for _ in range(8 * per_thread))
