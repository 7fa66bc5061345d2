//! Where the coach may send: loopback and private networks only, unless the operator allows
//! more, with a name pinned to the addresses it resolved to when checked.

use std::net::IpAddr;

use reqwest::Url;

/// Refuses a host outside loopback and private networks: journals must not leave the
/// organisation by accident. A name is resolved, and every address it has must be private;
/// those addresses are returned, to be the only ones used (none for an address or localhost).
pub(super) async fn ensure_private(base: &Url) -> anyhow::Result<Vec<std::net::SocketAddr>> {
    let host = base.host_str().unwrap_or("").trim_matches(['[', ']']);
    let refuse = |why: String| {
        anyhow::anyhow!(
            "MENTORBOT_COACH_URL points at {host}, {why}. Members' journals would leave your \
             network; set MENTORBOT_COACH_ALLOW_REMOTE=1 if that is what you want"
        )
    };
    if host.eq_ignore_ascii_case("localhost") || host.to_lowercase().ends_with(".localhost") {
        return Ok(Vec::new());
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return if is_private(ip) {
            Ok(Vec::new())
        } else {
            Err(refuse("which is not a loopback or private address".into()))
        };
    }
    let port = base.port_or_known_default().unwrap_or(80);
    let addresses: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|error| refuse(format!("which could not be resolved ({error})")))?
        .collect();
    if addresses.is_empty() || !addresses.iter().all(|address| is_private(address.ip())) {
        return Err(refuse("which resolves to a public address".into()));
    }
    Ok(addresses)
}

/// Loopback, private (RFC 1918, unique-local IPv6) and link-local addresses.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Coach;
    use super::super::tests::settings;

    #[tokio::test]
    async fn only_private_hosts_unless_allowed() {
        for url in [
            "http://127.0.0.1:11434/v1",
            "http://localhost:8080/v1",
            "http://10.1.2.3/v1",
            "http://192.168.1.20:8000/v1",
            "http://[::1]:8080/v1",
            "http://[fd00::7]/v1",
        ] {
            assert!(Coach::new(settings(url)).await.is_ok(), "{url}");
        }
        for url in ["http://8.8.8.8/v1", "https://[2001:4860::1]/v1"] {
            let refused = Coach::new(settings(url)).await.expect_err(url).to_string();
            assert!(
                refused.contains("MENTORBOT_COACH_ALLOW_REMOTE"),
                "{refused}"
            );
        }
        let mut remote = settings("https://8.8.8.8/v1");
        remote.allow_remote = true;
        assert!(Coach::new(remote).await.is_ok());
    }
}
