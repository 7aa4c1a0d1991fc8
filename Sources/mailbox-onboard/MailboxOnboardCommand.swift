import ArgumentParser
import OnboardInput

@main
struct MailboxOnboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailbox-onboard",
        abstract: "Connect many SMTP/IMAP mailboxes to lemlist from a spreadsheet, safely and within the rate limit.",
        discussion: "Exit status: 0 done, 3 invalid rows, 4 unreadable input, 5 ledger problem, 6 jobs failed, 7 API key refused, 8 plan lacks the route, 9 wrong base URL, 64 bad usage, 73 export not written, 130 interrupted.",
        version: "1.0.0",
        subcommands: [ImportCommand.self, RunCommand.self, SummaryCommand.self, EmulatorCommand.self, DemoCommand.self]
    )
}
