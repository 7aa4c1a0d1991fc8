// libFuzzer entry point for the input path: CSV and JSON readers, header mapping, validation and request-body
// encoding. Built by Fuzz/run.sh from the OnboardInput target's sources, with -sanitize=fuzzer,address.
#if canImport(Glibc)
import Glibc
#endif

private let scratchPath: String = {
    let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(folder)/mailbox-onboard-fuzz-\(getpid())"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    // The first byte picks the format, as `--format` would; the rest is the file.
    let formats: [InputFormat?] = [nil, .csv, .json, .jsonl]
    let format = formats[Int(data[0]) % formats.count]
    let fd = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    _ = write(fd, data + 1, size - 1)
    close(fd)
    let validator = RowValidator(defaultUserId: nil)
    do {
        let reader = try RowReaders.open(scratchPath, format: format, overrides: ["notes": nil, "owner": .senderName])
        var rows = 0
        while let row = try reader.next() {
            let validated = validator.validate(row)
            if let credential = validated.credential {
                // The form the ledger stores must read back as the same credential, whatever the row held.
                precondition(MailboxCredential(json: credential.json) == credential, "the stored form reads back whole")
            } else {
                precondition(!validated.errors.isEmpty, "an invalid row must say why")
            }
            for diagnostic in validated.diagnostics { _ = diagnostic.description }
            rows += 1
            if rows > 10_000 { break }
        }
        _ = reader.diagnostics
    } catch {
        _ = "\(error)"
    }
    return 0
}
