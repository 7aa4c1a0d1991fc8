import ArgumentParser
import MailboxOnboard
import OnboardInput

@main
struct MailboxOnboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailbox-onboard",
        abstract: "Connect many SMTP/IMAP mailboxes to lemlist from a spreadsheet, safely and within the rate limit.",
        discussion: ExitStatus.help(),
        version: "1.0.0",
        subcommands: [ImportCommand.self, CheckCommand.self, RunCommand.self, VerifyCommand.self, ConfigureCommand.self, StatusCommand.self, DisconnectCommand.self, SummaryCommand.self, EmulatorCommand.self, DemoCommand.self]
    )
}
