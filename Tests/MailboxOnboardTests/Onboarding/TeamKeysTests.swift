@testable import MailboxOnboard
import OnboardInput
import Testing

struct TeamKeysTests {
    @Test func readsNameKeyLinesIgnoringCommentsAndBlankLines() throws {
        let keys = try TeamKeys(text: "# agency keys\n\nAcme Corp = key-acme\nglobex=key-globex\n", file: "teams.txt")
        #expect(keys.keys["acme corp"]?.revealed == "key-acme" && keys.keys["globex"]?.revealed == "key-globex")
        #expect(keys.names["acme corp"] == "Acme Corp")
    }

    @Test(arguments: [("acme", "teams.txt:1: expected NAME=KEY"), ("=k", "teams.txt:1: the team name before '=' is empty"),
                      ("acme=", "teams.txt:1: there is no key after '='"),
                      ("a=k1\nA=k2", "teams.txt:2: this line's team was given a key on an earlier line"),
                      ("a=k 1", "teams.txt:1: the key after '=' holds spaces or control characters (each line is NAME=KEY, the team first)"),
                      ("# none\n", "teams.txt names no team (expected NAME=KEY lines)")])
    func problemsNameTheLineAndNeverTheKey(text: String, message: String) {
        #expect(throws: TeamKeys.Problem(message: message)) { try TeamKeys(text: text, file: "teams.txt") }
    }

    /// Written the wrong way round, a line has the key where the name goes: no message may quote either side.
    @Test(arguments: ["lm_live_9f8e7d=Acme Corp", "lm_live_9f8e7d=", "lm_live_9f8e7d=Acme\nlm_live_9f8e7d=Globex"])
    func aReversedLineIsReportedWithoutItsKey(text: String) {
        let error = #expect(throws: TeamKeys.Problem.self) { try TeamKeys(text: text, file: "teams.txt") }
        #expect(error?.message.hasPrefix("teams.txt:") == true)
        #expect(error?.message.contains("lm_live") == false, "\(error?.message ?? "")")
    }

    @Test func eachTeamGetsItsKeyAndTeamsSharingAKeyShareALane() throws {
        let keys = try TeamKeys(text: "Acme=k1\nGlobex=k2\nInitech=k1\n", file: "t")
        let lanes = try TeamKeys.lanes(for: [TeamCount(team: nil, outstanding: 2), TeamCount(team: "ACME", outstanding: 3),
                                             TeamCount(team: "globex", outstanding: 1), TeamCount(team: "Initech", outstanding: 4)],
                                       teamKeys: keys, defaultKey: Secret("k0"))
        #expect(lanes.map(\.label) == ["(no team)", "Acme, Initech", "Globex"])
        #expect(lanes.map(\.apiKey.revealed) == ["k0", "k1", "k2"])
        #expect(lanes[1].scope == .teams(["acme", "initech"], unnamed: false))
        #expect(lanes[0].rateLogHash == nil && lanes[1].rateLogHash != nil && lanes[1].rateLogHash != lanes[2].rateLogHash)
        #expect(!(lanes[1].rateLogHash ?? "").contains("k1"))
    }

    @Test func aMissingTeamNamesItselfAndItsRows() throws {
        let keys = try TeamKeys(text: "Acme=k1\n", file: "t")
        #expect(throws: KeyPlanProblem(message: "the --team-keys file has no key for Globex (150 rows), Hooli (1 row). Nothing was sent.")) {
            try TeamKeys.lanes(for: [TeamCount(team: "Acme", outstanding: 1), TeamCount(team: "Globex", outstanding: 150),
                                     TeamCount(team: "Hooli", outstanding: 1)], teamKeys: keys, defaultKey: Secret("k0"))
        }
        #expect(throws: KeyPlanProblem.self) {
            try TeamKeys.lanes(for: [TeamCount(team: nil, outstanding: 2)], teamKeys: keys, defaultKey: nil)
        }
        #expect(throws: KeyPlanProblem.self) {
            try TeamKeys.lanes(for: [TeamCount(team: "Acme", outstanding: 2)], teamKeys: nil, defaultKey: Secret("k0"))
        }
    }
}
