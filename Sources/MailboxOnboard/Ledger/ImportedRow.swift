import OnboardInput

/// The ledger's record of an imported row: a validated row reduced to what the ledger stores, its credential
/// already encoded. An import builds these on its reading thread, and a row this small is cheap to hand to the
/// writing thread. Its file is given once per file, not per row: a file name in every row would have both threads
/// counting references to one string.
struct ImportedRow: Sendable {
    enum Job: Sendable {
        /// A valid row: the ledger's key for the mailbox, the credential as stored (`MailboxCredential.json`,
        /// which holds passwords) and the lemlist user it is assigned to.
        case send(mailbox: String, body: [UInt8], userId: String?)
        /// An invalid row: the reason it is grouped under, every error in words, and whether it only repeats a
        /// mailbox given earlier in the input.
        case invalid(reason: String, message: String, isDuplicate: Bool)
    }

    var line: Int
    var senderEmail: String
    /// The lemlist team named by the row, if any.
    var team: String?
    /// The limit and warm-up to apply once connected.
    var settings: MailboxSettings
    var job: Job

    init(_ row: ValidatedRow, mailbox: String?, isDuplicate: Bool) {
        line = row.line
        senderEmail = row.senderEmail
        team = row.team
        settings = row.settings
        if let credential = row.credential, let mailbox {
            job = .send(mailbox: mailbox, body: credential.jsonBytes, userId: credential.userId)
        } else {
            let errors = row.errors
            job = .invalid(reason: errors.first?.reason ?? "invalid", message: errors.map(\.message).joined(separator: "; "),
                           isDuplicate: isDuplicate)
        }
    }
}
