import Foundation
import PropertyBased
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

struct HeaderParsingTests {
    @Test func lemlistJavaScriptDateIsRead() {
        #expect(HTTPDate.epochSeconds("Tue Feb 16 2021 09:02:42 GMT+0100 (Central European Standard Time)") == 1_613_462_562)
    }

    @Test func httpDateAndEpochFormsAreRead() {
        #expect(HTTPDate.epochSeconds("Tue, 16 Feb 2021 08:02:42 GMT") == 1_613_462_562)
        #expect(HTTPDate.epochSeconds("1613462562") == 1_613_462_562)
        #expect(HTTPDate.epochSeconds("1613462562000") == 1_613_462_562)
    }

    @Test func everyJavaScriptDateRoundTrips() async {
        await propertyCheck(input: Gen.int(in: 0...4_000_000_000)) { seconds in
            let text = HTTPDate.javaScriptString(epochSeconds: Double(seconds))
            #expect(HTTPDate.epochSeconds(text) == Double(seconds), "\(text)")
        }
    }

    @Test func everyHTTPDateRoundTripsAgainstFoundationsFormatter() async {
        await propertyCheck(input: Gen.int(in: 0...4_000_000_000)) { seconds in
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            let text = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
            #expect(HTTPDate.epochSeconds(text) == Double(seconds), "\(text)")
        }
    }

    @Test func everyDelaySecondsRoundTrips() async {
        await propertyCheck(input: Gen.int(in: 0...3600)) { seconds in
            #expect(RateLimitSignals.retryAfter(String(seconds), now: 1e9) == .seconds(seconds))
            #expect(HTTPDate.epochSeconds(String(1_600_000_000 + seconds)) == Double(1_600_000_000 + seconds))
        }
    }

    @Test func garbageNeverParses() async {
        await propertyCheck(input: Gen.character(in: " "..."~").string(of: 0...40)) { text in
            if let value = HTTPDate.epochSeconds(text) { #expect(value.isFinite && value >= 0) }
            _ = RateLimitSignals.retryAfter(text, now: 0)
        }
        #expect(HTTPDate.epochSeconds("Tue Foo 16 2021 09:02:42 GMT") == nil)
        #expect(HTTPDate.epochSeconds("soon") == nil)
    }

    @Test func retryAfterAcceptsSecondsAndDates() {
        #expect(RateLimitSignals.retryAfter("2", now: 0) == .seconds(2))
        #expect(RateLimitSignals.retryAfter("1.5", now: 0) == .milliseconds(1500))
        #expect(RateLimitSignals.retryAfter("Tue, 16 Feb 2021 08:02:45 GMT", now: 1_613_462_562) == .seconds(3))
        #expect(RateLimitSignals.retryAfter("-3", now: 0) == nil)
        #expect(RateLimitSignals.retryAfter("later", now: 0) == nil)
        #expect(RateLimitSignals.retryAfter("99999999", now: 0) == .seconds(3600))
    }

    @Test func signalsReadEveryHeaderAndIgnoreGarbage() {
        let headers = ["X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "0",
                       "X-RateLimit-Reset": "Tue Feb 16 2021 09:02:42 GMT+0100 (Central European Standard Time)", "Retry-After": "2"]
        let signals = RateLimitSignals(header: { headers[$0] }, now: 0)
        #expect(signals == RateLimitSignals(limit: 20, remaining: 0, resetAt: 1_613_462_562, retryAfter: .seconds(2)))
        let bad = RateLimitSignals(header: { _ in "nonsense" }, now: 0)
        #expect(bad == RateLimitSignals())
    }

    @Test func rateOptionParses() {
        #expect(RunConfiguration.parseRate("20/2s")! == (20, .seconds(2)))
        #expect(RunConfiguration.parseRate("100/500ms")! == (100, .milliseconds(500)))
        #expect(RunConfiguration.parseRate("5/s")! == (5, .seconds(1)))
        #expect(RunConfiguration.parseRate("0/2s") == nil && RunConfiguration.parseRate("20") == nil)
    }
}
