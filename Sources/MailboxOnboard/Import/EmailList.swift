import OnboardInput
import OnboardSheets

/// The sender addresses of files in any format the importer reads, for `disconnect`: only the email column is
/// needed, and nothing else of a row is kept.
public struct EmailList: Sendable {
    /// In input order, each mailbox once.
    public var emails: [String] = []
    /// Rows whose address is missing or not one: file, line and problem.
    public var problems: [Diagnostic] = []
    public var unreadable: [ImportError] = []

    public static func read(files: [String], options: ImportOptions) -> EmailList {
        var list = EmailList()
        var seen: Set<String> = []
        for file in files {
            do throws(ImportError) {
                let reader = try RowReaders.open(file, format: options.format, overrides: options.overrides,
                                                 workbooks: SheetRowReader.opener(sheet: options.sheet, overrides: options.overrides))
                var rows = 0
                while let row = try reader.next() {
                    rows += 1
                    guard rows <= ImportError.maxRowsPerFile else { throw ImportError.tooManyRows(file: file, limit: ImportError.maxRowsPerFile) }
                    let email = (row.values[.senderEmail] ?? "").trimmingSpaces
                    if let problem = email.isEmpty ? "is required" : EmailRule.problem(for: email) {
                        list.problems.append(Diagnostic(.error, file: file, line: row.line, field: InputField.senderEmail.rawValue, problem: problem,
                                                        detail: email.isEmpty ? nil : "'\(Diagnostic.printable(email))'"))
                    } else if seen.insert(MailboxCredential.mailboxKey(for: email)).inserted {
                        list.emails.append(email)
                    }
                }
            } catch {
                list.unreadable.append(error)
            }
        }
        return list
    }
}
