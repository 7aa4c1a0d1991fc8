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
                      ("acme=", "teams.txt:1: team acme has no key after '='"), ("a=k1\nA=k2", "teams.txt:2: team A is given a key twice"),
                      ("a=k 1", "teams.txt:1: team a's key holds spaces or control characters"), ("# none\n", "teams.txt names no team (expected NAME=KEY lines)")])
    func problemsNameTheLineAndNeverTheKey(text: String, message: String) {
        #expect(throws: TeamKeys.Problem(message: message)) { try TeamKeys(text: text, file: "teams.txt") }
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
