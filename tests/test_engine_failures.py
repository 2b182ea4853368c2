"""A dead or stalled Python worker: the page says so and restarts it, keeping the state."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CRASHING_WORKER = 'throw new Error("the worker crashed while starting");'
# never answers a call, but says it got one (as a load stage), so the test advances the
# clock only once the page's answer timer is running
STALLED_WORKER = ('postMessage({type: "ready"}); onmessage = () => '
                  'postMessage({type: "progress", percent: 100, stage: "call received"});')
LINK = "#in_channels=2&out_channels=4&groups=2&kernel_size=3x2&padding=1&step=5"


def serve_worker_as(page, body):
    page.route("**/js/engine-worker.js",
               lambda route: route.fulfill(body=body, content_type="text/javascript"))


def restart_and_check_state_kept(page):
    page.unroute("**/js/engine-worker.js")
    page.get_by_role("button", name="Restart the engine").click()
    expect(page.locator("#app")).to_have_attribute("data-state", "ready", timeout=60_000)
    expect(page.locator(".engine-down")).to_be_hidden()
    expect(page.get_by_test_id("torch-code")).to_have_text(
        "nn.Conv2d(2, 4, (3, 2), stride=1, padding=1, groups=2)")
    expect(page.get_by_test_id("step-index")).to_contain_text("step 6 /")


def test_a_worker_that_dies_is_reported_and_restarted(page, site):
    serve_worker_as(page, CRASHING_WORKER)
    page.goto(site.url + "index.html" + LINK)
    expect(page.locator("#app")).to_have_attribute("data-state", "error", timeout=30_000)
    expect(page.get_by_test_id("engine-error")).to_contain_text("The Python engine stopped")
    restart_and_check_state_kept(page)


def test_a_worker_that_stalls_past_the_cap_is_reported_and_restarted(page, site):
    page.clock.install()
    serve_worker_as(page, STALLED_WORKER)
    page.goto(site.url + "index.html" + LINK)
    expect(page.locator(".load-stage")).to_have_text("call received…", timeout=30_000)
    expect(page.get_by_test_id("torch-code")).to_have_text("nn.Conv2d(…)")  # no answer yet
    page.clock.fast_forward("00:31")  # past CALL_TIMEOUT_MS
    expect(page.locator("#app")).to_have_attribute("data-state", "error")
    expect(page.get_by_test_id("engine-error")).to_contain_text("did not answer within 30 s")
    page.clock.resume()
    restart_and_check_state_kept(page)
