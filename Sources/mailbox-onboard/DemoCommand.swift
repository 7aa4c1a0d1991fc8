import ArgumentParser
import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import samples/ into a temporary ledger, connect them to a local lemlist emulator, and summarise."
    )

    @Option(help: "Folder of sample inputs.")
    var samples: String = "samples"

    @Flag(help: "No progress line.")
    var quiet = false

    func run() async throws {
        do {
            let outcome = try await Demo.run(samplesFolder: samples, progress: !quiet) { Console.out($0) }
            throw ExitCode(outcome.summary.outstanding == 0 ? 0 : 1)
        } catch let error as DemoError {
            Console.err("error: \(error.localizedDescription)\n")
            throw ExitCode.failure
        } catch let error as LedgerError {
            throw fail(error)
        }
    }
}
