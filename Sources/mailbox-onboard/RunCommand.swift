import ArgumentParser
import Foundation
import MailboxOnboard
import OnboardInput

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Import FILEs if given, then connect every pending mailbox through the rate-limited worker pool.",
        discussion: """
            The API key is read from LEMLIST_API_KEY or --api-key-file, never from an argument.
            Ctrl-C stops starting requests and records the ones on the wire; run again to resume.
            """ + ExitStatus.help(ExitStatus.forRun)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ImportOptionGroup

    @Argument(help: "Files to import before sending.")
    var files: [String] = []

    @Option(help: "lemlist API base URL.")
    var baseURL: String = RunConfiguration.defaultBaseURL

    @Option(help: "Workers sending at once.")
    var concurrency: Int = RunConfiguration.defaultConcurrency

    @Option(help: "Requests per window per API key, e.g. 20/2s.")
    var rate: String = "20/2s"

    @Option(help: "Answered attempts before a job that keeps failing transiently is marked failed.")
    var maxAttempts: Int = 5

    @Option(help: "Seconds to wait for each answer (lemlist tests the SMTP and IMAP logins first).")
    var timeout: Double = 120

    @Option(help: "Read the API key from this file instead of LEMLIST_API_KEY.")
    var apiKeyFile: String?

    @Flag(help: "Do not ask lemlist about the team before sending (members, mailboxes already there, the plan).")
    var noPreflight = false

    @Flag(help: "No progress line.")
    var quiet = false

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard timeout.isFinite, timeout >= 0.001, timeout <= RunConfiguration.maxTimeoutSeconds else {
            throw ValidationError("--timeout must be a number of seconds from 0.001 to \(Int(RunConfiguration.maxTimeoutSeconds))")
        }
        guard RunConfiguration.parseRate(rate) != nil else { throw ValidationError("--rate must look like 20/2s") }
        if let problem = RunConfiguration.baseURLProblem(baseURL) { throw ValidationError(problem) }
    }

    func run() async throws {
        let key = try apiKey()
        let (limit, window) = RunConfiguration.parseRate(rate)!
        let configuration = RunConfiguration(
            baseURL: baseURL, apiKey: key, concurrency: concurrency, rateLimit: limit, rateWindow: window,
            timeout: .milliseconds(Int64(timeout * 1000)), retry: RetryPolicy(maxAttempts: maxAttempts), preflight: !noPreflight)
        let options = try input.resolve()
        do {
            let outcome = try await TerminalRun.run(
                ledgerPath: global.ledger, files: files, importOptions: options, configuration: configuration,
                logger: global.makeLogger(), progress: !quiet, onImport: { Console.out(ImportReportText.render($0) + "\n") })
            if let preflight = outcome.run.preflight { Console.out(PreflightText.render(preflight)) }
            if let stop = outcome.run.stop {
                let source = if case .unauthorized = stop { " The key was read from \(apiKeyFile ?? "LEMLIST_API_KEY")." } else { "" }
                Console.err("error: \(stop.localizedDescription)\(source)\n")
            }
            if outcome.run.interrupted { Console.err("interrupted: run the same command again to resume.\n") }
            Console.out(SummaryTable.render(outcome.summary, ledgerPath: global.ledger))
            throw ExitCode(outcome.exitStatus)
        } catch let error as LedgerError {
            throw fail(error)
        }
    }

    private func apiKey() throws -> Secret {
        if let apiKeyFile {
            guard let text = try? String(contentsOfFile: apiKeyFile, encoding: .utf8) else {
                throw ValidationError("cannot read the API key file \(apiKeyFile)")
            }
            if let problem = APIKeyFile.problem(text) { throw ValidationError("the API key file \(apiKeyFile) \(problem). Nothing was sent.") }
            return Secret(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let key = ProcessInfo.processInfo.environment["LEMLIST_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
            throw ValidationError("no API key: set LEMLIST_API_KEY or pass --api-key-file PATH. Nothing was sent.")
        }
        return Secret(key)
    }
}
