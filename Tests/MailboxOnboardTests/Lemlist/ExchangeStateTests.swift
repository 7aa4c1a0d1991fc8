import Testing
@testable import MailboxOnboard
@testable import OnboardInput

/// The in-place retry rules, step by step: what follows each answer, and how long the next request waits.
struct ExchangeStateTests {
    let policy = RetryPolicy(base: .seconds(1), cap: .seconds(60), maxAttempts: 3, maxThrottled: 2)

    static func spelled(_ action: ExchangeState.Action<Int>) -> String {
        switch action {
        case let .settle(value): "settle \(value)"
        case let .refused(reason): "refused \(reason)"
        case .stop: "stop"
        case .again: "again"
        case let .retry(after): "retry after \(after)"
        case let .gaveUp(why): "gave up: \(why.words)"
        }
    }

    @Test func transientFailuresBackOffThenGiveUpAfterTheLastAttempt() {
        var state = ExchangeState(policy: policy)
        #expect(Self.spelled(state.next(after: RouteAnswer<Int>.transient("HTTP 503"), unit: 0.5)) == "retry after 0.5 seconds")
        #expect(Self.spelled(state.next(after: RouteAnswer<Int>.transient("HTTP 503"), unit: 0.5)) == "retry after 1.0 seconds")
        #expect(Self.spelled(state.next(after: RouteAnswer<Int>.transient("reset"), unit: 0.5)) == "gave up: failed 3 times (last: reset)")
        #expect(state.attempts == 3 && state.throttled == 0)
    }

    @Test func throttlingSpendsNoAttemptAndIsBounded() {
        var state = ExchangeState(policy: policy)
        #expect(Self.spelled(state.next(after: RouteAnswer<Int>.throttled, unit: 0.5)) == "again")
        #expect(Self.spelled(state.next(after: RouteAnswer<Int>.transient("HTTP 500"), unit: 1)) == "retry after 1.0 seconds")
        #expect(Self.spelled(state.next(after: RouteAnswer<Int>.throttled, unit: 0.5)) == "gave up: was rate limited 2 times")
        #expect(state.attempts == 1)
    }

    @Test func anAnswerThatSettlesSettlesAtOnce() {
        var state = ExchangeState(policy: policy)
        #expect(Self.spelled(state.next(after: RouteAnswer.value(7), unit: 0)) == "settle 7")
        #expect(Self.spelled(state.next(after: RouteAnswer<Int>.refused("HTTP 404: Not found"), unit: 0)) == "refused HTTP 404: Not found")
        #expect(Self.spelled(state.next(after: RouteAnswer<Int>.stop(.unauthorized("no")), unit: 0)) == "stop")
        #expect(state.attempts == 0)
    }
}
