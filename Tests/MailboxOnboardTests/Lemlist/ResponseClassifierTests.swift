import Foundation
import PropertyBased
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

struct ResponseClassifierTests {
    @Test(arguments: [
        (201, "application/json", "{\"id\":\"umx_1\",\"email\":\"a@b.com\",\"provider\":\"custom\"}", Outcome.connected(accountId: "umx_1")),
        (201, "application/json", "{\"id\": \"umx_", .connected(accountId: nil)),
        (200, "text/html", "<html></html>", .stop(.wrongEndpoint("HTTP 200 with a text/html body instead of JSON"))),
        (400, "text/plain", "This SMTP mailbox already exists", .alreadyConnected),
        (400, "text/plain", "Invalid host", .rejected(reason: "HTTP 400: Invalid host")),
        (403, "text/plain", "User is not a member of this team", .rejected(reason: "HTTP 403: User is not a member of this team")),
        (401, "text/plain", "The authentication you supplied is incorrect", .stop(.unauthorized("The authentication you supplied is incorrect"))),
        (402, "text/plain", "", .stop(.paymentRequired("payment required"))),
        (404, "text/plain", "", .stop(.wrongEndpoint("HTTP 404 for POST /user/email-accounts"))),
        (405, "text/plain", "Method not allowed", .stop(.wrongEndpoint("HTTP 405 for POST /user/email-accounts"))),
        (408, "text/plain", "", .transient(reason: "HTTP 408 request timeout")),
        (429, "text/plain", "Too many requests", .throttled),
        (503, "text/plain", "Service Unavailable", .transient(reason: "HTTP 503: Service Unavailable")),
        (301, "text/plain", "", .stop(.wrongEndpoint("HTTP 301 redirect"))),
    ] as [(Int, String, String, Outcome)])
    func statusMapsToOutcome(_ status: Int, _ type: String, _ body: String, _ expected: Outcome) {
        #expect(ResponseClassifier.classify(status: status, contentType: type, body: body) == expected)
    }
}
