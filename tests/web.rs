//! The web view over HTTP: sign-in links, sessions, every page and every refusal, against the
//! real router on 127.0.0.1 with a real SQLite database and the real migrations.

mod support;

use std::net::SocketAddr;

use chrono::Duration;
use mentorbot::mentor::{Command, ForgetStep, MemberRef, Mentor};
use mentorbot::platform::Platform;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use support::{TestMentor, count_rows, member, test_mentor};

struct Site {
    base: String,
    t: TestMentor,
    http: reqwest::Client,
}

async fn site() -> Site {
    let mut t = test_mentor().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    t.mentor = t.mentor.with_web(&base);
    let routes = mentorbot::frontends::web::routes(t.mentor.clone(), &base);
    tokio::spawn(async move {
        let service = routes.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service).await
    });
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("a client");
    Site { base, t, http }
}

impl Site {
    fn mentor(&self) -> &Mentor {
        &self.t.mentor
    }

    async fn say(&self, who: &MemberRef, line: &str) -> String {
        let command = mentorbot::mentor::command::parse(line).expect("a command");
        self.mentor()
            .handle(who, command)
            .await
            .expect("an answer")
            .text
    }

    /// A sign-in link for `who`, leading `teams`.
    async fn link(&self, who: &MemberRef, teams: &[&str]) -> String {
        let teams = teams.iter().map(|t| t.to_string()).collect();
        let text = self
            .mentor()
            .handle(who, Command::Web { teams })
            .await
            .expect("a link")
            .text;
        let start = text.find(&self.base).expect("the link is in the reply");
        text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// Signs in through a fresh link; returns the cookie header value.
    async fn sign_in(&self, who: &MemberRef, teams: &[&str]) -> String {
        let link = self.link(who, teams).await;
        self.use_link(&link).await.expect("the link signs in")
    }

    async fn use_link(&self, link: &str) -> Option<String> {
        let token = link.rsplit('/').next().unwrap_or_default();
        let answer = self
            .http
            .post(format!("{}/signin", self.base))
            .form(&[("token", token)])
            .send()
            .await
            .expect("an answer");
        if answer.status() != StatusCode::SEE_OTHER {
            return None;
        }
        let cookie = answer.headers()["set-cookie"].to_str().ok()?.to_string();
        Some(cookie.split(';').next()?.to_string())
    }

    async fn get(&self, cookie: &str, path: &str) -> (StatusCode, String) {
        let answer = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .expect("an answer");
        (answer.status(), answer.text().await.unwrap_or_default())
    }

    async fn post(&self, cookie: &str, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let answer = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .form(form)
            .send()
            .await
            .expect("an answer");
        (answer.status(), answer.text().await.unwrap_or_default())
    }

    /// The CSRF token on a signed-in page.
    async fn csrf(&self, cookie: &str) -> String {
        let (_, page) = self.get(cookie, "/log").await;
        let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
        page[at..at + 64].to_string()
    }

    /// Row ids of the terminal member `user`'s entries, oldest first.
    async fn entry_ids(&self, user: &str) -> Vec<i64> {
        let store = self.mentor().store();
        let found = store
            .find_member(Platform::Terminal, "local", user)
            .await
            .expect("a lookup")
            .expect("the member");
        let mut ids: Vec<i64> = store
            .reflections_page(found.id, 1_000, 0)
            .await
            .expect("the log")
            .iter()
            .map(|entry| entry.id)
            .collect();
        ids.reverse();
        ids
    }
}

#[tokio::test]
async fn a_link_signs_in_once_with_a_strict_cookie_and_private_headers() {
    let site = site().await;
    let ana = member("ana");
    let link = site.link(&ana, &[]).await;
    assert!(link.starts_with(&format!("{}/signin/", site.base)));
    assert_eq!(
        link.rsplit('/').next().map(str::len),
        Some(64),
        "256 random bits"
    );

    // The page asks for a click before the link is used, so a link preview cannot spend it.
    let page = site.http.get(&link).send().await.expect("an answer");
    assert_eq!(page.status(), StatusCode::OK);
    let headers = page.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap_or_default();
    assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        page.text()
            .await
            .unwrap_or_default()
            .contains("id=\"sign-in\"")
    );

    let token = link.rsplit('/').next().unwrap_or_default();
    let answer = site
        .http
        .post(format!("{}/signin", site.base))
        .form(&[("token", token)])
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()["location"], "/log");
    let cookie = answer.headers()["set-cookie"].to_str().unwrap_or_default();
    for flag in ["HttpOnly", "SameSite=Strict", "Max-Age=43200", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    assert!(!cookie.contains("Secure"), "plain http here");
    let session = cookie.split(';').next().unwrap_or_default().to_string();
    let (status, log) = site.get(&session, "/log").await;
    assert_eq!(status, StatusCode::OK);
    assert!(log.contains("My log"));

    // Used once: the same link neither shows the button nor signs in again.
    assert!(site.use_link(&link).await.is_none());
    let again = site.http.get(&link).send().await.expect("an answer");
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    // Only hashes are stored: neither token appears in the database.
    for secret in [token, session.trim_start_matches("mentorbot_session=")] {
        let sql = format!(
            "SELECT COUNT(*) FROM web_links l, web_sessions s WHERE l.token_hash = '{secret}' OR s.token_hash = '{secret}'"
        );
        assert_eq!(count_rows(&site.t.db, &sql).await, 0);
    }
}

#[tokio::test]
async fn links_expire_after_ten_minutes_and_sessions_after_twelve_hours() {
    let site = site().await;
    let ana = member("ana");
    let stale = site.link(&ana, &[]).await;
    site.t.clock.advance(Duration::minutes(11));
    assert!(site.use_link(&stale).await.is_none());

    let cookie = site.sign_in(&ana, &[]).await;
    site.t.clock.advance(Duration::hours(11));
    assert_eq!(site.get(&cookie, "/log").await.0, StatusCode::OK);
    site.t.clock.advance(Duration::hours(2));
    let (status, page) = site.get(&cookie, "/log").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("id=\"signed-out\""));
}

#[tokio::test]
async fn without_a_public_url_the_command_says_the_web_view_is_not_set_up() {
    let t = test_mentor().await;
    let reply = t
        .mentor
        .handle(&member("ana"), Command::Web { teams: vec![] })
        .await
        .expect("an answer");
    assert!(reply.private);
    assert!(reply.text.contains("MENTORBOT_PUBLIC_URL"));
    assert!(!reply.text.contains("http"));
}

#[tokio::test]
async fn another_members_entries_pages_and_exports_are_not_found() {
    let site = site().await;
    let (ana, bo) = (member("ana"), member("bo"));
    site.say(&ana, "/reflect leadership: ana's secret roadmap doubts")
        .await;
    site.say(&bo, "/reflect management: bo's sprint plan").await;
    let ana_entry = site.entry_ids("ana").await[0];
    let bo_cookie = site.sign_in(&bo, &[]).await;

    for path in [
        format!("/entries/{ana_entry}/edit"),
        format!("/entries/{ana_entry}/delete"),
        "/entries/999999/edit".to_string(),
        "/team/anything".to_string(),
        "/nowhere".to_string(),
    ] {
        let (status, page) = site.get(&bo_cookie, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.contains("id=\"not-found\""), "{path}");
        assert!(!page.contains("roadmap"), "{path} gives nothing away");
    }
    // An existing entry of someone else and one that never existed look the same.
    let theirs = site
        .get(&bo_cookie, &format!("/entries/{ana_entry}/edit"))
        .await;
    let nobodys = site.get(&bo_cookie, "/entries/999999/edit").await;
    assert_eq!(theirs, nobodys);

    let csrf = site.csrf(&bo_cookie).await;
    let text = "overwritten by bo";
    let (status, _) = site
        .post(
            &bo_cookie,
            &format!("/entries/{ana_entry}"),
            &[("csrf", &csrf), ("text", text), ("mode", "management")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = site
        .post(
            &bo_cookie,
            &format!("/entries/{ana_entry}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let still = "SELECT COUNT(*) FROM reflections WHERE text LIKE 'ana''s secret%'";
    assert_eq!(count_rows(&site.t.db, still).await, 1);

    let (status, export) = site.get(&bo_cookie, "/export/mentorbot-log.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(export.contains("sprint plan") && !export.contains("roadmap"));
    let (_, log) = site.get(&bo_cookie, "/log?q=roadmap").await;
    assert!(log.contains("0 entries"));
}

#[tokio::test]
async fn changes_need_the_sessions_csrf_token_and_bad_text_is_handed_back() {
    let site = site().await;
    let ana = member("ana");
    site.say(&ana, "/reflect management: planned the quarter")
        .await;
    let id = site.entry_ids("ana").await[0];
    let cookie = site.sign_in(&ana, &[]).await;
    let csrf = site.csrf(&cookie).await;
    let path = format!("/entries/{id}");

    for forged in ["", "0000", &"f".repeat(64)] {
        let (status, page) = site
            .post(
                &cookie,
                &path,
                &[("csrf", forged), ("text", "forged"), ("mode", "leadership")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(page.contains("Nothing was changed"));
        let (status, _) = site
            .post(&cookie, &format!("{path}/delete"), &[("csrf", forged)])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let unchanged = "SELECT COUNT(*) FROM reflections WHERE text = 'planned the quarter' AND mode = 'management'";
    assert_eq!(count_rows(&site.t.db, unchanged).await, 1);

    // Empty and oversized text: a clear answer, and what was typed comes back in the form.
    let (status, page) = site
        .post(
            &cookie,
            &path,
            &[("csrf", &csrf), ("text", "   "), ("mode", "management")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"edit\""));
    let long = format!("kept words {}", "x".repeat(4_100));
    let (status, page) = site
        .post(
            &cookie,
            &path,
            &[("csrf", &csrf), ("text", &long), ("mode", "management")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("the limit is 4000") && page.contains("kept words"));
    let (status, _) = site
        .post(
            &cookie,
            &path,
            &[("csrf", &csrf), ("text", "fine"), ("mode", "sideways")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(count_rows(&site.t.db, unchanged).await, 1);

    // A real edit: new text, the mode now stated, and the week's mix follows.
    let (status, _) = site
        .post(
            &cookie,
            &path,
            &[
                ("csrf", &csrf),
                ("text", "asked why the quarter matters"),
                ("mode", "leadership"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let edited = "SELECT COUNT(*) FROM reflections WHERE text = 'asked why the quarter matters' AND mode = 'leadership' AND mode_source = 'stated'";
    assert_eq!(count_rows(&site.t.db, edited).await, 1);
    let mix = "SELECT COUNT(*) FROM weekly_mix WHERE management = 0 AND leadership = 1";
    assert_eq!(count_rows(&site.t.db, mix).await, 1);

    let (status, confirm) = site.get(&cookie, &format!("{path}/delete")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("id=\"confirm-delete\""));
    let (status, _) = site
        .post(&cookie, &format!("{path}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        count_rows(&site.t.db, "SELECT COUNT(*) FROM reflections").await,
        0
    );
    assert_eq!(
        count_rows(
            &site.t.db,
            "SELECT CAST(COALESCE(SUM(leadership + management), 0) AS BIGINT) FROM weekly_mix"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_log_searches_filters_pages_and_escapes_what_was_written() {
    let site = site().await;
    let ana = member("ana");
    site.say(
        &ana,
        "/reflect leadership: <script>alert('x')</script> shared the vision",
    )
    .await;
    site.say(&ana, "/reflect management: fixed 50% of the bugs")
        .await;
    site.t.clock.advance(Duration::days(10));
    for n in 0..25 {
        site.say(&ana, &format!("/reflect management: routine update {n}"))
            .await;
    }
    let cookie = site.sign_in(&ana, &[]).await;

    let (_, page) = site.get(&cookie, "/log").await;
    assert!(page.contains("27 entries. Page 1 of 2."));
    assert!(page.contains("rel=\"next\""));
    let (_, older) = site.get(&cookie, "/log?page=2").await;
    assert!(older.contains("&lt;script&gt;") && !older.contains("<script>"));
    let (_, past_end) = site.get(&cookie, "/log?page=99").await;
    assert!(past_end.contains("Page 2 of 2."));

    let (_, found) = site.get(&cookie, "/log?q=VISION").await;
    assert!(found.contains("1 entry."));
    let (_, percent) = site.get(&cookie, "/log?q=50%25").await;
    assert!(
        percent.contains("1 entry."),
        "% is a character, not a wildcard"
    );
    let (_, leadership) = site.get(&cookie, "/log?mode=leadership").await;
    assert!(leadership.contains("1 entry."));
    let (_, early) = site
        .get(&cookie, "/log?from=2026-11-18&to=2026-11-18")
        .await;
    assert!(early.contains("2 entries."));

    for (query, status) in [
        ("/log?from=yesterday", StatusCode::BAD_REQUEST),
        ("/log?mode=sideways", StatusCode::BAD_REQUEST),
        (
            &format!("/log?q={}", "a".repeat(3_000)),
            StatusCode::URI_TOO_LONG,
        ),
    ] {
        let (got, page) = site.get(&cookie, query).await;
        assert_eq!(got, status, "{query}");
        assert!(page.contains("Nothing was changed"), "{query}");
    }
    for name in ["..%2F..%2Fetc%2Fpasswd", "mentorbot-log.exe", "log.md"] {
        let (status, _) = site.get(&cookie, &format!("/export/{name}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}");
    }
    let answer = site
        .http
        .get(format!("{}/export/mentorbot-log.csv", site.base))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("an answer");
    assert!(
        answer.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .starts_with("attachment")
    );
    assert!(
        answer
            .text()
            .await
            .unwrap_or_default()
            .contains("routine update 24")
    );
}

#[tokio::test]
async fn signing_out_and_forget_end_sessions_and_links() {
    let site = site().await;
    let ana = member("ana");
    site.say(&ana, "/reflect leadership: a note").await;
    let cookie = site.sign_in(&ana, &[]).await;
    let csrf = site.csrf(&cookie).await;
    let (status, _) = site.post(&cookie, "/signout", &[("csrf", "wrong")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let answer = site
        .http
        .post(format!("{}/signout", site.base))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert!(
        answer.headers()["set-cookie"]
            .to_str()
            .unwrap_or_default()
            .contains("Max-Age=0")
    );
    assert_eq!(site.get(&cookie, "/log").await.0, StatusCode::UNAUTHORIZED);

    let second = site.sign_in(&ana, &[]).await;
    let unused = site.link(&ana, &[]).await;
    site.mentor()
        .handle(
            &ana,
            Command::Forget {
                step: ForgetStep::Confirm,
            },
        )
        .await
        .expect("forgotten");
    assert_eq!(site.get(&second, "/log").await.0, StatusCode::UNAUTHORIZED);
    assert!(site.use_link(&unused).await.is_none());
    assert_eq!(
        count_rows(&site.t.db, "SELECT COUNT(*) FROM web_sessions").await,
        0
    );
    assert_eq!(
        count_rows(&site.t.db, "SELECT COUNT(*) FROM web_links").await,
        0
    );
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_address() {
    let site = site().await;
    let good = site.link(&member("ana"), &[]).await;
    for _ in 0..10 {
        let bad = format!("{}/signin/{}", site.base, "0".repeat(64));
        let answer = site.http.get(&bad).send().await.expect("an answer");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    }
    let answer = site.http.get(&good).send().await.expect("an answer");
    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(site.use_link(&good).await.is_none());
}

#[tokio::test]
async fn leaders_see_aggregates_of_teams_they_lead_and_only_from_three_members() {
    let site = site().await;
    let team = "T0TEAM";
    let people: Vec<MemberRef> = ["ana", "bo", "cy"]
        .iter()
        .map(|user| MemberRef::new(Platform::Slack, team, user, user))
        .collect();
    for (i, who) in people.iter().enumerate() {
        site.mentor().seen_in_team(who, team).await.expect("seen");
        if i < 2 {
            site.say(
                who,
                &format!("/reflect leadership: private words of {}", who.user),
            )
            .await;
        }
    }
    let leader = site.sign_in(&people[0], &[team]).await;
    let (status, page) = site.get(&leader, &format!("/team/{team}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"participation-chart\""));
    assert!(page.contains("Hidden until at least three members have written"));
    assert!(!page.contains("private words"), "never a reflection's text");
    assert!(!page.contains("id=\"nav-team-1\""));
    site.say(&people[2], "/reflect management: private words of cy")
        .await;
    let (_, page) = site.get(&leader, &format!("/team/{team}")).await;
    assert!(page.contains("% leadership, against"));

    // A member who does not lead it, and a leader of another team: not found.
    let member_only = site.sign_in(&people[1], &[]).await;
    assert_eq!(
        site.get(&member_only, &format!("/team/{team}")).await.0,
        StatusCode::NOT_FOUND
    );
    let other = site.sign_in(&people[2], &["T0OTHER"]).await;
    assert_eq!(
        site.get(&other, &format!("/team/{team}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, small) = site.get(&other, "/team/T0OTHER").await;
    assert!(small.contains("id=\"team-too-small\""));
}

#[tokio::test]
async fn progress_shows_the_balance_a_year_of_weeks_and_the_streak() {
    let site = site().await;
    let ana = member("ana");
    site.say(&ana, "/stage set senior").await;
    site.say(&ana, "/reflect leadership: set the product direction")
        .await;
    site.say(&ana, "/nudge pause 2").await;
    // Two weeks on: the paused week without entries shows as paused, not as a gap.
    site.t.clock.advance(Duration::days(14));
    let cookie = site.sign_in(&ana, &[]).await;
    let (status, page) = site.get(&cookie, "/progress").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"balance-chart\"") && page.contains("id=\"activity-map\""));
    assert_eq!(
        page.matches("<rect class=\"level-").count() + page.matches("<rect class=\"paused").count(),
        52
    );
    assert!(
        page.contains("class=\"paused\""),
        "the paused weeks show as such"
    );
    assert!(page.contains("Streak: 1 week"));
    assert!(page.contains("100% leadership"));
}

/// What a case calls itself, the form it posts, and the status it must get.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, StatusCode);

#[tokio::test]
async fn posts_from_other_sites_and_unreadable_input_get_clear_pages_and_change_nothing() {
    let site = site().await;
    let ana = member("ana");
    site.say(&ana, "/reflect leadership: kept safe").await;
    let link = site.link(&ana, &[]).await;
    let token = link.rsplit('/').next().unwrap_or_default().to_string();
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let answer = site
            .http
            .post(format!("{}/signin", site.base))
            .header(name, value)
            .form(&[("token", token.as_str())])
            .send()
            .await
            .expect("an answer");
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{name}");
    }
    // The link was not spent by the refused posts; the same form from the site itself works.
    let answer = site
        .http
        .post(format!("{}/signin", site.base))
        .header("origin", site.base.as_str())
        .header("sec-fetch-site", "same-origin")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let cookie = answer.headers()["set-cookie"]
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();

    let id = site.entry_ids("ana").await[0];
    let csrf = site.csrf(&cookie).await;
    let huge = "x".repeat(70 * 1024);
    let cases: [Case; 2] = [
        (
            "too long",
            vec![("csrf", &csrf), ("text", &huge), ("mode", "leadership")],
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "no mode",
            vec![("csrf", &csrf), ("text", "half a form")],
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (case, form, status) in cases {
        let (got, page) = site.post(&cookie, &format!("/entries/{id}"), &form).await;
        assert_eq!(got, status, "{case}");
        assert!(page.contains("Nothing was changed"), "{case}: {page}");
    }
    for query in [
        "/log?page=two",
        "/log?about=sideways",
        "/log?about=challenge:x",
    ] {
        let (status, page) = site.get(&cookie, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(page.contains("Nothing was changed"), "{query}");
    }
    let (status, page) = site.get(&cookie, "/log?page=9223372036854775807").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Page 1 of 1."));
    let (_, page) = site.get(&cookie, "/log?q=absent&page=5").await;
    assert!(page.contains("0 entries. Page 1 of 1."), "{page}");
    let kept = "SELECT COUNT(*) FROM reflections WHERE text = 'kept safe'";
    assert_eq!(count_rows(&site.t.db, kept).await, 1);
}

#[tokio::test]
async fn deleting_an_entry_takes_the_coachs_question_about_it_along() {
    let site = site().await;
    let ana = member("ana");
    site.say(&ana, "/reflect leadership: first").await;
    site.say(&ana, "/reflect leadership: second").await;
    let store = site.mentor().store();
    let found = store
        .find_member(Platform::Terminal, "local", "ana")
        .await
        .expect("a lookup")
        .expect("ana");
    store
        .add_coach_note(
            found.id,
            Some(2),
            "follow_up",
            "What made the second one work?",
            0,
        )
        .await
        .expect("a note");
    let cookie = site.sign_in(&ana, &[]).await;
    let csrf = site.csrf(&cookie).await;
    let second = site.entry_ids("ana").await[1];
    let (status, _) = site
        .post(
            &cookie,
            &format!("/entries/{second}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        count_rows(&site.t.db, "SELECT COUNT(*) FROM coach_notes").await,
        0
    );
    // The next entry takes number 2 again, with no question from before attached.
    site.say(&ana, "/reflect leadership: a new second").await;
    let (_, export) = site.get(&cookie, "/export/mentorbot-log.json").await;
    assert!(!export.contains("What made the second one work"));
}
