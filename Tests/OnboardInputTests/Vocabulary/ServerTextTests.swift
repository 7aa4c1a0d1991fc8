import Foundation
import Testing
@testable import OnboardInput

/// What a server says is stored and shown only without the exchange's secrets, in any form they were sent in,
/// without control characters, and bounded.
struct ServerTextTests {
    @Test func theRowsPasswordsAreRemovedAsSentAndAsJSONEscapesThem() {
        let echoed = #"400 Invalid login for {"smtp_password":"p\"w\\x","imap_password":"Zebra-9"} (p"w\x)"#
        let clean = ServerText.clean(echoed, removing: ["p\"w\\x", "Zebra-9", "api-key-1"])
        #expect(clean == #"400 Invalid login for {"smtp_password":"<redacted>","imap_password":"<redacted>"} (<redacted>)"#)
    }

    @Test func theKeyIsRemovedAsTheBasicHeaderCarriesIt() {
        let key = "lm-Key_42"
        let header = "Basic " + Data(":\(key)".utf8).base64EncodedString()
        let clean = ServerText.clean("400 Bad team (Authorization: \(header))", removing: [key])
        #expect(clean == "400 Bad team (Authorization: Basic <redacted>)")
        #expect(!clean.contains(Data(":\(key)".utf8).base64EncodedString()))
    }

    @Test func aPasswordIsRemovedInBase64AsAuthLoginSendsIt() {
        let password = "S3cret!pw"
        let clean = ServerText.clean("535 5.7.8 " + Data(password.utf8).base64EncodedString() + " rejected", removing: [password])
        #expect(clean == "535 5.7.8 <redacted> rejected")
    }

    @Test func terminalEscapesAndOtherControlsBecomeSpaces() {
        let clean = ServerText.clean("bad\u{1B}]0;owned\u{7} \u{1B}[31mred\u{9B}2J\r\nnext\u{0}", removing: [])
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(clean.contains("owned") && clean.contains("red") && clean.contains("next"))
    }

    @Test func aLongTextIsCutAfterItsSecretsAreRemoved() {
        let secret = "hunter2-hunter2"
        // The secret straddles the cut: redaction comes first, so no part of it survives.
        let text = String(repeating: "x", count: ServerText.maxLength - 5) + secret + String(repeating: "y", count: 200_000)
        let clean = ServerText.clean(text, removing: [secret])
        #expect(clean.count == ServerText.maxLength + 1)
        #expect(!clean.contains("hunter"))
        #expect(clean.hasSuffix("…"))
    }
}
