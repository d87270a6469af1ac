"""The local Bot API server over plain HTTP: validation, updates, webhook, faults, web page.

Longer than 400 lines on purpose: one module walks the whole HTTP surface, section by section.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.channels.webchat import BotApiServer, Persona, limits

TOKEN = "123456:TEST-token"
CHI_THU, AN, BINH = 101, 102, 103
CHI_BO_1 = -1001
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
BAD_DATA = "Bad Request: BUTTON_DATA_INVALID"
Reply = tuple[int, dict[str, Any]]


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    fake = BotApiServer()
    await fake.start()
    fake.add_user(CHI_THU, "Thư", "Trần Thị")
    fake.add_user(AN, "An", "Nguyễn Văn")
    fake.add_user(BINH, "Bình", "Lê Thị")
    fake.add_group(CHI_BO_1, "Chi bộ 1", member_ids=[AN, BINH], admin_ids=[CHI_THU])
    yield fake
    await fake.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


class Api:
    """Bot API calls over HTTP, as JSON (the default), a form, or a query string."""

    def __init__(self, server: BotApiServer, http: aiohttp.ClientSession) -> None:
        self.base, self.http = server.base_url, http

    async def __call__(self, method: str, *, token: str = TOKEN, **params: Any) -> Reply:
        url = f"{self.base}/bot{token}/{method}"
        async with self.http.post(url, json=params) as response:
            return response.status, await response.json()

    async def form(self, method: str, **params: str) -> Reply:
        async with self.http.post(f"{self.base}/bot{TOKEN}/{method}", data=params) as response:
            return response.status, await response.json()

    async def query(self, method: str, **params: str) -> Reply:
        url = f"{self.base}/bot{TOKEN}/{method}"
        async with self.http.get(url, params=params) as response:
            return response.status, await response.json()

    async def ok(self, method: str, **params: Any) -> Any:
        status, body = await self(method, **params)
        assert (status, body["ok"]) == (200, True), body
        return body["result"]


@pytest.fixture
def api(server: BotApiServer, http: aiohttp.ClientSession) -> Api:
    return Api(server, http)


def keyboard(*data: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": f"Nút {d}", "callback_data": d}] for d in data]}


# -- validation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": AN}, "Bad Request: message text is empty"),
        ({"chat_id": AN, "text": "  "}, "Bad Request: message text is empty"),
        ({"chat_id": AN, "text": "x" * 4097}, "Bad Request: message is too long"),
        ({"text": "a"}, "Bad Request: chat_id is empty"),
        ({"chat_id": 555, "text": "a"}, "Bad Request: chat not found"),
        ({"chat_id": "@someone", "text": "a"}, "Bad Request: chat not found"),
        ({"chat_id": [1], "text": "a"}, 'Bad Request: field "chat_id" must be of type'),
        ({"chat_id": AN, "text": "a", "parse_mode": "Plain"}, "Bad Request: unsupported"),
        ({"chat_id": AN, "text": "<blink>a</blink>", "parse_mode": "HTML"}, "Bad Request: can't"),
        ({"chat_id": AN, "text": "a", "reply_markup": keyboard("x" * 65)}, BAD_DATA),
        ({"chat_id": AN, "text": "a", "reply_markup": keyboard("đ" * 33)}, BAD_DATA),
        ({"chat_id": AN, "text": "a", "reply_markup": keyboard("")}, BAD_DATA),
        (
            {"chat_id": AN, "text": "a", "reply_markup": {"inline_keyboard": [{"text": "x"}]}},
            "Bad Request: can't parse",
        ),
        (
            {"chat_id": AN, "text": "a", "reply_markup": {"inline_keyboard": [[{"text": "x"}]]}},
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed",
        ),
        (
            {
                "chat_id": AN,
                "text": "a",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "x", "callback_data": "a", "url": "https://a"}]]
                },
            },
            "Bad Request: can't parse inline keyboard button: exactly one",
        ),
        (
            {
                "chat_id": AN,
                "text": "a",
                "reply_markup": {"inline_keyboard": [[{"text": "x", "url": "javascript:x"}]]},
            },
            "Bad Request: BUTTON_URL_INVALID",
        ),
    ],
)
async def test_bad_messages_get_telegrams_400(
    api: Api, params: dict[str, Any], description: str
) -> None:
    status, body = await api("sendMessage", **params)
    assert (status, body["ok"], body["error_code"]) == (400, False, 400)
    assert str(body["description"]).startswith(description), body


async def test_limits_count_what_telegram_counts(api: Api) -> None:
    await api.ok("sendMessage", chat_id=AN, text="x" * 4096)
    # 4096 characters after the tags are parsed away, not before.
    sent = await api.ok("sendMessage", chat_id=AN, text=f"<b>{'ư' * 4096}</b>", parse_mode="html")
    assert (len(sent["text"]), sent["entities"][0]["type"]) == (4096, "bold")
    await api.ok("sendMessage", chat_id=AN, text="a", reply_markup=keyboard("đ" * 32))
    ignored = await api("sendMessage", chat_id=AN, text="bỏ qua", no_such_parameter=1)
    assert ignored[0] == 200  # unknown parameters are ignored, as Telegram ignores them


async def test_unknown_methods_wrong_tokens_and_case(server: BotApiServer, api: Api) -> None:
    assert await api("sendTelepathy", chat_id=1) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert await api("getMe", token="not-a-token") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert (await api.ok("GETME"))["username"] == "hocbac_bot"
    server.accepted_tokens = {TOKEN}
    assert (await api("getMe", token="999:other"))[0] == 401
    assert (await api("getMe"))[0] == 200


async def test_forms_and_query_strings_are_read_by_type(api: Api) -> None:
    status, body = await api.form(
        "sendMessage", chat_id=str(AN), text="Chào", reply_markup='{"inline_keyboard": []}'
    )
    assert (status, body["result"]["chat"]["id"]) == (200, AN)
    status, body = await api.query("deleteMessage", chat_id=str(AN), message_id="một")
    assert (status, body["description"]) == (
        400,
        'Bad Request: field "message_id" must be of type Integer',
    )
    status, body = await api.form("sendMessage", chat_id=str(AN), text="a", reply_markup="{oops")
    assert (status, body["description"]) == (
        400,
        'Bad Request: field "reply_markup" must be of type InlineKeyboardMarkup or '
        "ReplyKeyboardMarkup or ReplyKeyboardRemove or ForceReply",
    )


async def test_other_spec_methods_answer_true_only_if_they_return_true(api: Api) -> None:
    assert await api.ok("setMyDescription", description="Học và làm theo Bác") is True
    status, body = await api("sendDice", chat_id=AN)
    assert (status, body["description"]) == (
        400,
        "Bad Request: method is not supported by the local server",
    )
    assert (await api("pinChatMessage", chat_id=AN))[1]["description"] == (
        "Bad Request: message identifier is not specified"
    )


# -- messages, buttons, edits -----------------------------------------------------------------
async def test_edits_and_deletes_change_what_people_see(server: BotApiServer, api: Api) -> None:
    sent = await api.ok("sendMessage", chat_id=AN, text="Một", reply_markup=keyboard("a"))
    assert (sent["from"]["id"], sent["chat"]["type"], sent["message_id"]) == (1000, "private", 1)
    edit: dict[str, Any] = {"chat_id": AN, "message_id": sent["message_id"], "text": "Hai"}
    assert (await api.ok("editMessageText", **edit))["text"] == "Hai"
    assert (await api("editMessageText", **edit))[1]["description"] == NOT_MODIFIED
    await api.ok("editMessageReplyMarkup", chat_id=AN, message_id=1, reply_markup=keyboard("b"))
    assert server.messages(AN)[0]["reply_markup"] == keyboard("b")
    missing: dict[str, Any] = {"chat_id": AN, "message_id": 99, "text": "x"}
    assert (await api("editMessageText", **missing))[1]["description"] == (
        "Bad Request: message to edit not found"
    )
    await server.user_sends_text(AN, "tin của An")
    mine: dict[str, Any] = {"chat_id": AN, "message_id": 2, "text": "sửa hộ"}
    assert (await api("editMessageText", **mine))[1]["description"] == (
        "Bad Request: message can't be edited"
    )
    assert await api.ok("deleteMessage", chat_id=AN, message_id=1) is True
    assert [m["text"] for m in server.messages(AN)] == ["tin của An"]
    assert (await api("deleteMessage", chat_id=AN, message_id=1))[1]["description"] == (
        "Bad Request: message to delete not found"
    )


async def test_button_presses_are_answered_once(server: BotApiServer, api: Api) -> None:
    sent = await api.ok("sendMessage", chat_id=AN, text="Chọn", reply_markup=keyboard("ok"))
    with pytest.raises(ValueError, match="no button"):
        await server.user_presses(AN, AN, sent["message_id"], "forged")
    update = await server.user_presses(AN, AN, sent["message_id"], "ok")
    query_id = update["callback_query"]["id"]
    assert update["callback_query"]["message"]["text"] == "Chọn"
    too_long = await api("answerCallbackQuery", callback_query_id=query_id, text="x" * 201)
    assert too_long[1]["description"] == "Bad Request: MESSAGE_TOO_LONG"
    await api.ok("answerCallbackQuery", callback_query_id=query_id, text="Đã ghi nhận")
    again = await api("answerCallbackQuery", callback_query_id=query_id)
    assert again[1]["description"] == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    forged = await server.user_sends_callback_raw(BINH, AN, sent["message_id"], "v9:giả")
    assert forged["callback_query"]["data"] == "v9:giả"
    assert [(a.user_id, a.text) for a in server.callback_answers(AN)] == [(AN, "Đã ghi nhận")]


# -- getUpdates -----------------------------------------------------------------------------
async def test_get_updates_confirms_by_offset(server: BotApiServer, api: Api) -> None:
    first = (await server.user_sends_text(AN, "một"))["update_id"]
    await server.user_sends_text(AN, "hai")
    await server.user_sends_text(BINH, "ba")
    got = await api.ok("getUpdates", limit=2)
    assert [u["update_id"] for u in got] == [first, first + 1]
    assert [u["update_id"] for u in await api.ok("getUpdates")] == [first, first + 1, first + 2]
    assert [u["message"]["text"] for u in await api.ok("getUpdates", offset=first + 1)] == [
        "hai",
        "ba",
    ]
    assert [u["message"]["text"] for u in await api.ok("getUpdates", offset=-1)] == ["ba"]
    assert await api.ok("getUpdates", offset=first + 3) == []
    assert server.world.updates == []


async def test_a_long_poll_returns_as_soon_as_an_update_arrives(
    server: BotApiServer, api: Api
) -> None:
    polling = asyncio.create_task(api.ok("getUpdates", timeout=30))
    await server.wait_for(lambda: server.delivery.polling == 1)
    started = time.monotonic()
    await server.user_sends_text(AN, "dậy đi")
    got = await asyncio.wait_for(polling, timeout=5)
    assert [u["message"]["text"] for u in got] == ["dậy đi"]
    assert time.monotonic() - started < 1


async def test_allowed_updates_leave_out_the_rest(server: BotApiServer, api: Api) -> None:
    sent = await api.ok("sendMessage", chat_id=AN, text="Chọn", reply_markup=keyboard("ok"))
    await api.ok("getUpdates", allowed_updates=["callback_query"])
    await server.user_sends_text(AN, "không ai nghe")
    await server.user_presses(AN, AN, sent["message_id"], "ok")
    assert [list(u)[1] for u in await api.ok("getUpdates")] == ["callback_query"]


# -- webhook --------------------------------------------------------------------------------
@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[Any], list[int]]]:
    """A webhook on 127.0.0.1 recording (secret header, update); answers the statuses queued."""
    received: list[tuple[str | None, dict[str, Any]]] = []
    statuses: list[int] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(status=statuses.pop(0) if statuses else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", received, statuses
    await runner.cleanup()


async def test_a_webhook_gets_updates_in_order_with_the_secret_and_retries(
    server: BotApiServer, api: Api, receiver: tuple[str, list[Any], list[int]]
) -> None:
    url, received, statuses = receiver
    await server.user_sends_text(AN, "trước khi có webhook")
    statuses.append(500)  # the first delivery fails and must be retried
    await api.ok("setWebhook", url=url, secret_token="bi-mat_1")
    status, body = await api("getUpdates")
    assert (status, body["description"]) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )
    server.faults.duplicate_next_updates(1)
    await server.user_sends_text(BINH, "sau")
    await server.wait_for(lambda: not server.world.updates and len(received) == 4)
    texts = [(secret, u["message"]["text"]) for secret, u in received]
    assert texts == [
        ("bi-mat_1", "trước khi có webhook"),  # answered 500
        ("bi-mat_1", "trước khi có webhook"),
        ("bi-mat_1", "sau"),
        ("bi-mat_1", "sau"),  # the duplicate fault
    ]
    info = await api.ok("getWebhookInfo")
    assert (info["url"], info["pending_update_count"]) == (url, 0)
    assert (
        info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    )
    bad = await api("setWebhook", url=url, secret_token="bí mật")
    assert bad[1]["description"] == "Bad Request: secret token contains unallowed characters"
    await api.ok("deleteWebhook")
    assert await api.ok("getUpdates") == []


# -- faults ---------------------------------------------------------------------------------
async def test_each_fault_answers_as_telegram_would(server: BotApiServer, api: Api) -> None:
    server.faults.fail("sendMessage", "429", retry_after=7)
    assert await api("sendMessage", chat_id=AN, text="a") == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    server.faults.fail("sendMessage", "403", chat_id=BINH)
    assert (await api("sendMessage", chat_id=AN, text="a"))[0] == 200  # another chat
    assert (await api("sendMessage", chat_id=BINH, text="a"))[1]["description"] == (
        "Forbidden: bot was blocked by the user"
    )
    server.faults.fail("*", "500", times=2)
    assert [(await api("getMe"))[0], (await api("getMe"))[0], (await api("getMe"))[0]] == [
        500,
        500,
        200,
    ]
    server.faults.fail("sendMessage", "slow", delay=0.05)
    started = time.monotonic()
    await api.ok("sendMessage", chat_id=AN, text="chậm mà chắc")
    assert time.monotonic() - started >= 0.05
    with pytest.raises(ValueError, match="unknown fault"):
        server.faults.fail("sendMessage", "418")


async def test_a_user_who_blocked_the_bot_gets_nothing(server: BotApiServer, api: Api) -> None:
    server.block_bot(BINH)
    status, body = await api("sendMessage", chat_id=BINH, text="a")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    assert (await api("sendMessage", chat_id=CHI_BO_1, text="cả chi bộ"))[0] == 200
    server.unblock_bot(BINH)
    assert (await api("sendMessage", chat_id=BINH, text="a"))[0] == 200


async def test_duplicated_and_reordered_updates(server: BotApiServer, api: Api) -> None:
    server.faults.duplicate_next_updates(1)
    await server.user_sends_text(AN, "lặp")
    server.faults.reorder_next_updates(2)
    await server.user_sends_text(AN, "trước")
    await server.user_sends_text(AN, "sau")
    await server.user_sends_text(AN, "bình thường")
    updates = await api.ok("getUpdates")
    assert [u["message"]["text"] for u in updates] == ["lặp", "lặp", "sau", "trước", "bình thường"]
    assert updates[0]["update_id"] == updates[1]["update_id"]


# -- groups, polls, files -------------------------------------------------------------------
async def test_groups_know_their_members_and_admins(server: BotApiServer, api: Api) -> None:
    await server.user_sends_text(AN, "Chào chi bộ", chat_id=CHI_BO_1)
    await server.user_sends_text(BINH, "Chào An", chat_id=CHI_BO_1)
    with pytest.raises(ValueError, match="not in chat"):
        await server.user_sends_text(BINH, "lạc chỗ", chat_id=AN)
    updates = await api.ok("getUpdates")
    assert [(u["message"]["from"]["id"], u["message"]["chat"]["type"]) for u in updates] == [
        (AN, "group"),
        (BINH, "group"),
    ]
    admins = await api.ok("getChatAdministrators", chat_id=CHI_BO_1)
    assert [(a["status"], a["user"]["id"]) for a in admins] == [("administrator", CHI_THU)]
    member = await api.ok("getChatMember", chat_id=CHI_BO_1, user_id=AN)
    assert member["status"] == "member"
    assert (await api.ok("getChat", chat_id=CHI_BO_1))["title"] == "Chi bộ 1"
    await api.ok("leaveChat", chat_id=CHI_BO_1)
    assert (await api("sendMessage", chat_id=CHI_BO_1, text="a"))[1]["description"] == (
        "Forbidden: bot is not a member of the group chat"
    )


async def test_a_group_upgraded_to_a_supergroup_names_its_new_id(
    server: BotApiServer, api: Api
) -> None:
    new = server.upgrade_group(CHI_BO_1, -100_777)
    status, body = await api("sendMessage", chat_id=CHI_BO_1, text="a")
    assert (status, body["parameters"]) == (400, {"migrate_to_chat_id": -100_777})
    assert body["description"] == "Bad Request: group chat was upgraded to a supergroup chat"
    sent = await api.ok("sendMessage", chat_id=-100_777, text="a")
    assert (
        sent["chat"]["type"] == "supergroup" and new.members == server.world.chat(CHI_BO_1).members
    )


@pytest.mark.parametrize(
    ("params", "description"),
    [
        (
            {"question": "Câu?", "options": ["Một"]},
            "Bad Request: poll must have at least 2 option",
        ),
        ({"question": "Câu?", "options": [str(n) for n in range(13)]}, "Bad Request: poll can't"),
        ({"question": "x" * 301, "options": ["a", "b"]}, "Bad Request: poll question length"),
        (
            {"question": "Câu?", "options": ["a", "b"], "type": "quiz"},
            "QUIZ_CORRECT_ANSWERS_EMPTY",
        ),
    ],
)
async def test_bad_polls_are_refused(api: Api, params: dict[str, Any], description: str) -> None:
    status, body = await api("sendPoll", chat_id=CHI_BO_1, **params)
    assert status == 400 and description in body["description"]


async def test_group_polls_count_votes_and_tell_the_bot(server: BotApiServer, api: Api) -> None:
    sent = await api.ok(
        "sendPoll",
        chat_id=CHI_BO_1,
        question="Bác viết Di chúc năm nào?",
        options=["1965", "1945", {"text": "1969"}],
        is_anonymous=False,
        type="quiz",
        correct_option_ids=[0],
    )
    poll_id = sent["poll"]["id"]
    await server.user_answers_poll(AN, poll_id, [0])
    await server.user_answers_poll(BINH, poll_id, [1])
    with pytest.raises(ValueError, match="cannot be changed"):
        await server.user_answers_poll(AN, poll_id, [1])
    answers = [u["poll_answer"] for u in await api.ok("getUpdates") if "poll_answer" in u]
    assert [(a["user"]["id"], a["option_ids"]) for a in answers] == [(AN, [0]), (BINH, [1])]
    stopped = await api.ok("stopPoll", chat_id=CHI_BO_1, message_id=sent["message_id"])
    assert (stopped["is_closed"], [o["voter_count"] for o in stopped["options"]]) == (
        True,
        [1, 1, 0],
    )
    anonymous = await api.ok(
        "sendPoll", chat_id=CHI_BO_1, question="Tối nay?", options=["Có", "Không"]
    )
    update = await server.user_answers_poll(AN, anonymous["poll"]["id"], [0])
    assert "poll_answer" not in update and update["poll"]["total_voter_count"] == 1


async def test_a_poll_closes_itself_at_its_close_date(
    server: BotApiServer, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    too_soon = await api("sendPoll", chat_id=AN, question="?", options=["a", "b"], open_period=4)
    assert too_soon[0] == 400  # Telegram wants at least 5 s, which this test will not wait
    monkeypatch.setattr(limits, "POLL_OPEN", (0, 60))
    sent = await api.ok(
        "sendPoll", chat_id=AN, question="Ngay?", options=["a", "b"], close_date=int(time.time())
    )
    await server.wait_for(lambda: bool(server.messages(AN)[0]["poll"]["is_closed"]))
    assert [u["poll"]["id"] for u in await api.ok("getUpdates")] == [sent["poll"]["id"]]


async def test_files_are_stored_and_served(
    server: BotApiServer, api: Api, http: aiohttp.ClientSession
) -> None:
    form = aiohttp.FormData(
        {"chat_id": str(AN), "caption": "<b>Báo cáo</b>", "parse_mode": "HTML"}
    )
    form.add_field("document", b"a;b\n1;2\n", filename="bao-cao.csv", content_type="text/csv")
    async with http.post(f"{server.base_url}/bot{TOKEN}/sendDocument", data=form) as response:
        sent = (await response.json())["result"]
    assert (sent["document"]["file_name"], sent["caption"]) == ("bao-cao.csv", "Báo cáo")
    assert server.calls_to("sendDocument")[0].params["document"]["size"] == 8
    again = await api.ok("sendPhoto", chat_id=AN, photo=sent["document"]["file_id"])
    assert again["photo"][0]["file_id"] == sent["document"]["file_id"]
    path = (await api.ok("getFile", file_id=sent["document"]["file_id"]))["file_path"]
    async with http.get(f"{server.base_url}/file/bot{TOKEN}/{path}") as response:
        assert (response.status, await response.read()) == (200, b"a;b\n1;2\n")
    async with http.get(f"{server.base_url}/file/botnope/{path}") as response:
        assert response.status == 401
    assert (await api("sendPhoto", chat_id=AN))[1]["description"] == (
        "Bad Request: there is no photo in the request"
    )


# -- the web page and its API ---------------------------------------------------------------
async def test_the_page_plays_a_person(server: BotApiServer, http: aiohttp.ClientSession) -> None:
    server.set_personas([Persona(AN, "An", "Nguyễn Văn", label="Đảng viên — An", hint="Mới")])
    page = server.base_url + "/webchat/api/"
    async with http.get(server.base_url + "/") as response:
        html = await response.text()
    assert 'data-testid="composer-input"' in html and "Đổi người" in html
    async with http.get(page + "personas") as response:
        listed = await response.json()
    assert [p["label"] for p in listed["personas"]] == ["Đảng viên — An"]
    assert listed["groups"] == [
        {"id": CHI_BO_1, "title": "Chi bộ 1", "members": [CHI_THU, AN, BINH]}
    ]
    async with http.get(page + "messages", params={"chat_id": AN}) as response:
        version = (await response.json())["version"]
    waiting = asyncio.create_task(
        http.get(page + "messages", params={"chat_id": AN, "after_version": version})
    )
    async with http.post(page + "send", json={"user_id": AN, "text": "Xin chào"}) as response:
        assert response.status == 200
    async with await asyncio.wait_for(waiting, timeout=5) as response:
        seen = await response.json()
    assert [m["text"] for m in seen["messages"]] == ["Xin chào"]
    sent = await server.call(
        "sendMessage", {"chat_id": AN, "text": "Chọn", "reply_markup": keyboard("ok")}
    )
    press = {"user_id": AN, "chat_id": AN, "message_id": sent["message_id"], "data": "ok"}
    async with http.post(page + "press", json=press) as response:
        assert response.status == 200
    async with http.post(page + "press", json={**press, "data": "giả"}) as response:
        assert response.status == 400
    query = server.world.updates[-1]["callback_query"]["id"]
    await server.call("answerCallbackQuery", {"callback_query_id": query, "text": "Đã chọn"})
    async with http.get(
        page + "messages", params={"chat_id": AN, "after_version": seen["version"]}
    ) as response:
        toasts = (await response.json())["toasts"]
    assert [(t["text"], t["user_id"]) for t in toasts] == [("Đã chọn", AN)]
    form = aiohttp.FormData({"user_id": str(AN), "chat_id": str(CHI_BO_1)})
    form.add_field("file", b"\x89PNG", filename="anh.png", content_type="image/png")
    async with http.post(page + "upload", data=form) as response:
        assert response.status == 200
    photo = server.last_message(CHI_BO_1)
    assert photo is not None and photo["from"]["id"] == AN
    async with http.get(page + "file/" + photo["photo"][0]["file_id"]) as response:
        assert (response.content_type, await response.read()) == ("image/png", b"\x89PNG")
