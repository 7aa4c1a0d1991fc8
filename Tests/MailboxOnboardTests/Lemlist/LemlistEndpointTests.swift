import Testing
@testable import MailboxOnboard
import TestSupport

/// The routes the transport can call, as the API reference names them.
struct LemlistEndpointTests {
    @Test func eachRouteHasItsMethodAndPath() {
        let routes: [(LemlistEndpoint, String, String)] = [
            (.connect, "POST", "/user/email-accounts"),
            (.team, "GET", "/team?version=v2"),
            (.user(id: "usr_A1B2"), "GET", "/users/usr_A1B2"),
            (.channels, "GET", "/user/channels"),
            (.test(accountId: "usm_Z9"), "POST", "/user/email-accounts/usm_Z9/test"),
        ]
        for (endpoint, method, path) in routes {
            #expect(endpoint.method == method && endpoint.path == path, "\(endpoint)")
        }
    }

    @Test func anOpaqueIdStaysOneSegment() {
        #expect(LemlistEndpoint.test(accountId: "a/b?c#d e%").path == "/user/email-accounts/a%2Fb%3Fc%23d%20e%25/test")
    }
}
