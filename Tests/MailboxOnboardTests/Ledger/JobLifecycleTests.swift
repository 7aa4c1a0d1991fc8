import Testing
@testable import MailboxOnboard
import TestSupport

/// Every transition of a job, without I/O.
struct JobLifecycleTests {
    @Test func importingDecidesByTheCurrentState() {
        #expect(JobLifecycle.onImport(nil, rowIsValid: true) == .becomes(.pending))
        #expect(JobLifecycle.onImport(nil, rowIsValid: false) == .becomes(.invalid))
        for state in [JobState.pending, .retrying, .failed, .invalid] {
            #expect(JobLifecycle.onImport(state, rowIsValid: true) == .becomes(.pending), "\(state)")
            #expect(JobLifecycle.onImport(state, rowIsValid: false) == .becomes(.invalid), "\(state)")
        }
        for state in [JobState.connected, .alreadyConnected, .inFlight] {
            #expect(JobLifecycle.onImport(state, rowIsValid: true) == .leftAlone, "\(state)")
            #expect(JobLifecycle.onImport(state, rowIsValid: false) == .leftAlone, "\(state)")
        }
    }

    @Test(arguments: JobState.allCases)
    func onlyOutstandingJobsMayBeSent(_ state: JobState) {
        #expect(JobLifecycle.canBegin(state) == [.pending, .inFlight, .retrying].contains(state))
        #expect(JobLifecycle.canBegin(state) == !state.isTerminal)
    }

    @Test func anAttemptEndsInTheStateItsResultNames() {
        let results: [(AttemptResult, JobState)] = [
            (.connected(accountId: "umx_1"), .connected), (.alreadyConnected(note: nil), .alreadyConnected),
            (.failed(reason: "r", message: "m"), .failed), (.retry(at: 0, reason: "r", message: "m", throttled: false), .retrying),
        ]
        for (result, state) in results {
            for previous in [JobState.pending, .retrying, .inFlight] {
                #expect(JobLifecycle.afterAttempt(result, previous: previous) == state)
            }
        }
        #expect(JobLifecycle.afterAttempt(.untouched, previous: .pending) == .pending)
        #expect(JobLifecycle.afterAttempt(.untouched, previous: .retrying) == .retrying)
        #expect(JobLifecycle.afterAttempt(.untouched, previous: .inFlight) == .pending)
    }

    @Test func stateListsForSQLComeFromTheEnum() {
        #expect(JobState.sqlList(JobState.outstanding) == "('pending', 'in_flight', 'retrying')")
        #expect(JobState.sqlList(JobState.needsFixing) == "('invalid', 'failed')")
    }

    @Test func aStateThisVersionDoesNotKnowIsAnErrorNamingTheJob() throws {
        #expect(throws: LedgerError.unknownState(path: "l.db", job: 7, state: "paused")) { try JobState.stored("paused", job: 7, path: "l.db") }
        #expect(throws: LedgerError.unknownState(path: "l.db", job: 8, state: "NULL")) { try JobState.stored(nil, job: 8, path: "l.db") }
        #expect(LedgerError.unknownState(path: "l.db", job: 7, state: "paused").localizedDescription
            == "l.db: job 7 has the state 'paused', which this version does not know; upgrade mailbox-onboard")
        #expect(try JobState.stored("in_flight", job: 1, path: "l.db") == .inFlight)
    }
}
