import ArgumentParser
import MailboxOnboard
import OnboardInput

/// How input files are read; shared by `import` and `run`.
struct ImportOptionGroup: ParsableArguments {
    @Option(help: "Input format: csv, json, jsonl, xlsx or ods (default: from the extension or content).")
    var format: InputFormat?

    @Option(help: "The sheet of an .xlsx or .ods workbook to read (default: the first).")
    var sheet: String?

    @Option(name: .customLong("map"), help: ArgumentHelp("Map a column to a field: \"Column Name=field\" (or =ignore). Repeatable.", valueName: "column=field"))
    var maps: [String] = []

    @Option(help: "Assign mailboxes without a userId to this lemlist user (usr_...).")
    var userId: String?

    @Flag(help: "Record nothing when any row is invalid.")
    var strict = false

    func resolve() throws -> ImportOptions {
        do {
            let overrides = try HeaderMapping.parseOverrides(maps)
            if let userId, !UserIdRule.isValid(userId) { throw ImportOptionError.badUserId(userId, why: UserIdRule.problem) }
            return ImportOptions(format: format, overrides: overrides, defaultUserId: userId, strict: strict, sheet: sheet)
        } catch let error as ImportOptionError {
            throw ValidationError(error.localizedDescription)
        }
    }
}

extension InputFormat: ExpressibleByArgument {}
