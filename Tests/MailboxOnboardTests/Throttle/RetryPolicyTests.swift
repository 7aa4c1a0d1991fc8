import Foundation
import PropertyBased
import Testing
@testable import MailboxOnboard
@testable import OnboardInput
import TestSupport

struct RetryPolicyTests {
    @Test func ceilingsDoubleFromOneSecondUpToTheCap() {
        let policy = RetryPolicy()
        #expect((1...8).map { policy.ceiling(afterAttempt: $0) } == [1, 2, 4, 8, 16, 32, 60, 60].map { Duration.seconds($0) })
    }

    @Test func delaysStayWithinZeroAndTheCeilingAndCeilingsNeverShrink() async {
        await propertyCheck(input: Gen.int(in: 1...200), Gen.double(in: 0..<1)) { attempt, unit in
            let policy = RetryPolicy()
            let delay = policy.delay(afterAttempt: attempt, unit: unit)
            #expect(delay >= .zero && delay <= policy.ceiling(afterAttempt: attempt))
            #expect(policy.ceiling(afterAttempt: attempt + 1) >= policy.ceiling(afterAttempt: attempt))
            #expect(policy.ceiling(afterAttempt: attempt) <= .seconds(60))
        }
    }
}
