import ArgumentParser
import Foundation
import MailboxOnboard
import OnboardInput
#if canImport(Glibc)
import Glibc
#endif

/// How to reach lemlist and how hard to press it; shared by `run` and `verify`.
struct LemlistOptionGroup: ParsableArguments {
    @Option(help: "lemlist API base URL.")
    var baseURL: String = RunConfiguration.defaultBaseURL

    @Option(help: "Workers sending at once.")
    var concurrency: Int = RunConfiguration.defaultConcurrency

    @Option(help: "Requests per window per API key, e.g. 20/2s.")
    var rate: String = "20/2s"

    @Option(help: "Answered attempts before a request that keeps failing transiently is given up.")
    var maxAttempts: Int = 5

    @Option(help: "Seconds to wait for each answer (lemlist tests the SMTP and IMAP logins first).")
    var timeout: Double = 120

    @Option(help: "Read the API key from this file instead of LEMLIST_API_KEY.")
    var apiKeyFile: String?

    @Option(help: ArgumentHelp("Each team's API key: NAME=KEY lines (# comments). Rows whose team column names NAME are sent with KEY; rows without a team use LEMLIST_API_KEY.", valueName: "file"))
    var teamKeys: String?

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard timeout.isFinite, timeout >= 0.001, timeout <= RunConfiguration.maxTimeoutSeconds else {
            throw ValidationError("--timeout must be a number of seconds from 0.001 to \(Int(RunConfiguration.maxTimeoutSeconds))")
        }
        guard RunConfiguration.parseRate(rate) != nil else { throw ValidationError("--rate must look like 20/2s") }
        if let problem = RunConfiguration.baseURLProblem(baseURL) { throw ValidationError(problem) }
    }

    /// The options and the API key as one configuration, and each team's key when `--team-keys` is given. Throws a
    /// usage error when there is no usable key.
    func resolve(preflight: Bool = false) throws -> (configuration: RunConfiguration, teamKeys: TeamKeys?) {
        let (limit, window) = RunConfiguration.parseRate(rate)!
        let teams = try readTeamKeys()
        // With teams, the default key serves only rows without a team; whether one is needed is known once the ledger
        // is read, so its absence is left to the run to report.
        let key = teams == nil ? try apiKey() : (try? apiKey()) ?? Secret("")
        let configuration = RunConfiguration(
            baseURL: baseURL, apiKey: key, concurrency: concurrency, rateLimit: limit, rateWindow: window,
            timeout: .milliseconds(Int64(timeout * 1000)), retry: RetryPolicy(maxAttempts: maxAttempts), preflight: preflight)
        return (configuration, teams)
    }

    /// Where a lane's key came from, for a message about a refused key.
    func keySource(team: String?) -> String {
        guard let team, !team.isEmpty, team != "(no team)", let teamKeys else { return keySource }
        return "\(teamKeys) (team \(team))"
    }

    /// Where the default key came from, for a message about a refused key.
    var keySource: String { apiKeyFile ?? "LEMLIST_API_KEY" }

    private func readTeamKeys() throws -> TeamKeys? {
        guard let teamKeys else { return nil }
        let (text, mode) = try KeyFile.read(teamKeys, what: "team keys file", limit: 1 << 20)
        if mode & 0o077 != 0 {
            Console.err("warning: \(teamKeys) can be read by other users of this machine (mode \(String(mode & 0o777, radix: 8))); chmod 600 it\n")
        }
        do {
            return try TeamKeys(text: text, file: teamKeys)
        } catch {
            throw ValidationError("\(error.localizedDescription) Nothing was sent.")
        }
    }

    private func apiKey() throws -> Secret {
        if let apiKeyFile {
            let (text, _) = try KeyFile.read(apiKeyFile, what: "API key file", limit: 64 << 10)
            if let problem = APIKeyFile.problem(text) { throw ValidationError("the API key file \(apiKeyFile) \(problem). Nothing was sent.") }
            return Secret(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let key = ProcessInfo.processInfo.environment["LEMLIST_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
            throw ValidationError("no API key: set LEMLIST_API_KEY or pass --api-key-file PATH. Nothing was sent.")
        }
        return Secret(key)
    }
}

/// Prints why lemlist stopped a command, naming the team (when teams have keys) and where a refused key came from.
func reportStop(_ stop: RunStop, keySource: String, team: String = "") {
    let source = switch stop {
    case .unauthorized: " The key was read from \(keySource)."
    case .wrongEndpoint: " Check --base-url."
    case .paymentRequired: ""
    }
    let teamPart = team.isEmpty ? "" : "team \(team): "
    let left = team.isEmpty ? "" : " This team's jobs stay pending; the other teams went on."
    Console.err("error: \(teamPart)\(stop.localizedDescription)\(source)\(left)\n")
}

/// A file that holds keys: a regular file (a link is followed to one), not larger than the limit, read as UTF-8.
enum KeyFile {
    /// The file's text and its permission bits (the target's, for a link). Problems are usage errors naming the file.
    static func read(_ path: String, what: String, limit: Int) throws -> (text: String, mode: Int) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ValidationError("cannot read the \(what) \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ValidationError("the \(what) \(path) is not a regular file") }
        guard Int(info.st_size) <= limit else {
            throw ValidationError("the \(what) \(path) is larger than \(limit / 1024) KiB; it should hold only keys. Nothing was sent.")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= limit,
              let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("cannot read the \(what) \(path) as UTF-8 text")
        }
        return (text, Int(info.st_mode & 0o7777))
    }
}

/// What a pass over lemlist's mailboxes (verify, configure, status, disconnect) found, for the person: a key plan that
/// cannot be met, or the pass's stop, its interruption, and its own text.
func reportPass(keyProblem: KeyPlanProblem?, stop: RunStop?, interrupted: Bool, again: String, lemlist: LemlistOptionGroup,
                text: () -> String) {
    if let keyProblem {
        Console.err("error: \(keyProblem.localizedDescription)\n")
        return
    }
    if let stop { reportStop(stop, keySource: lemlist.keySource) }
    if interrupted { Console.err("interrupted: run \(again) again to finish.\n") }
    Console.out(text())
}
