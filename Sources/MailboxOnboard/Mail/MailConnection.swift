import NIOCore
import NIOPosix
import NIOSSL

/// One TCP connection to a mail server, plain or TLS from the first byte, read a line at a time. Every wait ends at
/// one deadline for the whole conversation, from connecting to logging out, so no server can stretch a login by
/// answering slowly, a line at a time.
final class MailConnection: Sendable {
    let channel: any Channel
    /// The name TLS presents and verifies: the row's host, wherever `--connect-to` sent the connection.
    let host: String
    let deadline: NIODeadline
    private let dialer: MailDialer
    /// Held here rather than looked up in the pipeline, which is emptied when the connection closes.
    private let reader: NIOLoopBoundBox<LineReader?>

    private init(channel: any Channel, host: String, deadline: NIODeadline, dialer: MailDialer, reader: NIOLoopBoundBox<LineReader?>) {
        self.channel = channel
        self.host = host
        self.deadline = deadline
        self.dialer = dialer
        self.reader = reader
    }

    /// Connects, by `deadline` at the latest.
    static func open(host: String, port: Int, implicitTLS: Bool, dialer: MailDialer, deadline: NIODeadline) async throws -> MailConnection {
        let (address, addressPort) = ConnectTo.route(host, port, through: dialer.connectTo)
        let tls = dialer.tls
        let serverName = Self.serverName(host)
        let loop = dialer.group.next()
        let reader = NIOLoopBoundBox.makeEmptyBox(valueType: LineReader.self, eventLoop: loop)
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(max(deadline - .now(), .nanoseconds(1)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    let lines = LineReader()
                    reader.value = lines
                    try channel.pipeline.syncOperations.addHandler(lines)
                }
            }
            .connect(host: address, port: addressPort).get()
        return MailConnection(channel: channel, host: host, deadline: deadline, dialer: dialer, reader: reader)
    }

    /// The next line the server sends.
    func readLine() async throws -> String {
        try await channel.eventLoop.flatSubmit { [channel, reader, deadline] in
            reader.value!.next(on: channel.eventLoop, deadline: deadline)
        }.get()
    }

    /// Reads past the next `count` bytes the server sends (an IMAP literal).
    func skip(_ count: Int) async throws {
        try await channel.eventLoop.flatSubmit { [channel, reader, deadline] in
            reader.value!.skip(count, on: channel.eventLoop, deadline: deadline)
        }.get()
    }

    /// Sends one command line; CRLF is added here. `secret` marks a line that carries a credential: it leaves only
    /// once TLS is up (`MailError.noTLS` otherwise), whatever the probe above decided.
    func send(_ line: String, secret: Bool = false) async throws {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeString("\r\n")
        try await write(buffer, secret: secret)
    }

    /// Sends bytes as they are (an IMAP literal's contents), under the same rule for a `secret`.
    func send(bytes: [UInt8], secret: Bool = false) async throws {
        try await write(channel.allocator.buffer(bytes: bytes), secret: secret)
    }

    /// Whether the TLS handshake has completed on this connection (implicit TLS, or STARTTLS).
    var isEncrypted: Bool {
        get async { (try? await channel.eventLoop.submit { [reader] in reader.value?.handshaken ?? false }.get()) ?? false }
    }

    /// A write fails once the channel is closed; what closed it (a failed TLS handshake, say) is the error to report.
    private func write(_ buffer: ByteBuffer, secret: Bool) async throws {
        if secret, !(await isEncrypted) { throw MailError.noTLS }
        do {
            try await channel.writeAndFlush(buffer).get()
        } catch {
            let cause = try? await channel.eventLoop.submit { [reader] in reader.value!.failure }.get()
            throw (cause ?? nil) ?? error
        }
    }

    /// Turns the connection into TLS after the server agreed to STARTTLS, and returns once the handshake is done.
    /// Anything the server sent after its answer would have been read as if protected, so it ends the conversation.
    func startTLS() async throws {
        let tls = dialer.tls
        let serverName = Self.serverName(host)
        try await channel.eventLoop.flatSubmit { [channel, reader, deadline] in
            do {
                let reader = reader.value!
                guard !reader.hasUnreadInput else { throw MailError.unexpected("the server sent data before TLS began") }
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
                return reader.handshake(on: channel.eventLoop, deadline: deadline)
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }

    func close() async {
        try? await channel.close().get()
    }

    /// SNI and the name checked against the certificate; an IP literal is sent as no name, as TLS requires.
    private static func serverName(_ host: String) -> String? {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return (try? SocketAddress(ipAddress: bare, port: 0)) == nil ? host : nil
    }
}
