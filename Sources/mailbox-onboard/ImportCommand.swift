import ArgumentParser
import MailboxOnboard
import OnboardInput

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Validate spreadsheet exports (CSV, JSON, JSON Lines) and record every row in the ledger.",
        discussion: ExitStatus.help(ExitStatus.forImport)
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: ImportOptionGroup

    @Argument(help: "Files to import.")
    var files: [String]

    func run() throws {
        let options = try input.resolve()
        do {
            let report = try Importer.run(files: files, ledgerPath: global.ledger, options: options, logger: global.makeLogger())
            Console.out(ImportReportText.render(report))
            throw ExitCode(ExitStatus(report))
        } catch let error as LedgerError {
            throw fail(error)
        }
    }
}
