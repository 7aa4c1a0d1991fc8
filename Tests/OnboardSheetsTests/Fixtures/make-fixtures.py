#!/usr/bin/env python3
"""Makes the workbook fixtures the sheet tests read, with real spreadsheet software.

    pip install openpyxl odfpy msoffcrypto-tool
    apt-get install libreoffice-calc-nogui
    python3 make-fixtures.py          # in this folder

openpyxl.xlsx   openpyxl: Instantly's headers, typed numbers and booleans, a rich-text name with a line break,
                blank and sparse rows, a date, a second sheet.
odfpy.ods       odfpy: Smartlead's headers, repeated rows and cells, a formula with its value, a name on two
                lines, the second a bold run, two spaces in a password, a second sheet.
libreoffice.*   LibreOffice in headless mode, opening odfpy.ods and saving it as .xlsx, as .ods and as an old .xls.
encrypted.xlsx  openpyxl.xlsx encrypted with a password by msoffcrypto-tool, as Excel encrypts.
macro.xlsm, bomb.xlsx, liar.xlsx, entities.xlsx, latin1.xlsx, truncated.xlsx
                openpyxl.xlsx changed by Python's zipfile: a VBA project part added; a sheet part inflating to
                600 MiB; one inflating to 8 MiB whose zip headers say 4 KiB; a sheet declaring an external entity;
                a sheet in ISO-8859-1; the file cut in half.
../../../samples/northwind-mailboxes.xlsx
                LibreOffice, opening a CSV typed below and saving it as .xlsx: the demo's workbook.
The tests' expectations are the values typed below.
"""
import datetime
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile

import msoffcrypto.format.ooxml
import openpyxl
from odf import number as numberstyle, opendocument, style, table, teletype, text
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

HERE = os.path.dirname(os.path.abspath(__file__))


def openpyxl_workbook():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Mailboxes"
    sheet.append(["Email", "First Name", "Last Name", "SMTP Username", "SMTP Password", "SMTP Host", "SMTP Port",
                  "SMTP SSL", "IMAP Username", "IMAP Password", "IMAP Host", "IMAP Port", "IMAP SSL", "Added", "Notes"])
    sheet.append(["alice@acme-mail.com", "Alice", "Martin", "alice@acme-mail.com", 482913, "smtp.acme-mail.com", 587,
                  False, "alice@acme-mail.com", 482913, "imap.acme-mail.com", 993, True, datetime.date(2026, 11, 30),
                  "first"])
    sheet.append([])
    sheet.append(["bob@acme-mail.com", CellRichText(["Bob", TextBlock(InlineFont(b=True), "\nJunior")]), "Stone", "bob",
                  "s3cr3t pass", "smtp.acme-mail.com", 465, True, "bob", "s3cr3t pass", "imap.acme-mail.com", 993,
                  True, datetime.datetime(2026, 12, 1, 9, 30), None])
    # A sparse row: most cells never written.
    sheet["A5"] = "carol@acme-mail.com"
    sheet["B5"] = "Carol"
    sheet["D5"] = "carol"
    sheet["E5"] = 12345678
    sheet["F5"] = "mail.acme-mail.com"
    sheet["G5"] = 2525
    sheet["O5"] = "imap later"
    sheet["A8"] = "dave@acme-mail.com"
    sheet["B8"] = "Dave"
    sheet["C8"] = "Ng"
    sheet["D8"] = "dave"
    sheet["E8"] = "0042"
    sheet["F8"] = "smtp.acme-mail.com"
    sheet["G8"] = 587
    sheet["I8"] = "dave"
    sheet["J8"] = 123456789012
    sheet["K8"] = "imap.acme-mail.com"
    sheet["L8"] = 993
    archive = book.create_sheet("Archive")
    archive.append(["Email", "Name", "SMTP Host", "SMTP Port"])
    archive.append(["eve@old-mail.com", "Eve", "smtp.old-mail.com", 25])
    book.save(os.path.join(HERE, "openpyxl.xlsx"))


def odfpy_workbook():
    document = opendocument.OpenDocumentSpreadsheet()
    bold = style.Style(name="Bold", family="text")
    bold.addElement(style.TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    # A boolean data style, as a spreadsheet gives a cell typed TRUE; without one LibreOffice shows 1 and 0.
    yes_no = numberstyle.BooleanStyle(name="YesNo")
    yes_no.addElement(numberstyle.Boolean())
    document.automaticstyles.addElement(yes_no)
    truth = style.Style(name="Truth", family="table-cell", datastylename=yes_no)
    document.automaticstyles.addElement(truth)

    def string(value):
        cell = table.TableCell(valuetype="string")
        paragraph = text.P()
        teletype.addTextToElement(paragraph, value)
        cell.addElement(paragraph)
        return cell

    def number(value):
        cell = table.TableCell(valuetype="float", value=value)
        cell.addElement(text.P(text=str(value)))
        return cell

    def boolean(value, formula=None):
        attributes = {"formula": formula} if formula else {}
        cell = table.TableCell(valuetype="boolean", booleanvalue="true" if value else "false", stylename=truth, **attributes)
        cell.addElement(text.P(text="TRUE" if value else "FALSE"))
        return cell

    def row(*cells, repeated=None):
        element = table.TableRow(numberrowsrepeated=repeated) if repeated else table.TableRow()
        for cell in cells:
            element.addElement(cell)
        return element

    def empty(count=1):
        return table.TableCell(numbercolumnsrepeated=count) if count > 1 else table.TableCell()

    sheet = table.Table(name="Accounts")
    sheet.addElement(row(*[string(name) for name in [
        "from_name", "from_email", "user_name", "password", "smtp_host", "smtp_port", "imap_host", "imap_port",
        "imap_user_name", "imap_password", "SMTP SSL", "warmup"]]))
    # A name on two lines (Alt+Enter), the second a bold run: a spreadsheet keeps each line as a paragraph.
    name = table.TableCell(valuetype="string")
    name.addElement(text.P(text="Ann"))
    second = text.P()
    second.addElement(text.Span(stylename=bold, text="Example"))
    name.addElement(second)
    sheet.addElement(row(name, string("ann@acme-mail.com"), string("ann"), number(9876), string("smtp.acme-mail.com"),
                         number(587), string("imap.acme-mail.com"), number(993), string("ann"), number(9876),
                         boolean(False), boolean(True, formula="of:=TRUE()")))
    sheet.addElement(row(empty(12), repeated=2))
    # The host is a formula; its value is stored beside it, as a spreadsheet saves it.
    host = table.TableCell(valuetype="string", stringvalue="smtp.acme-mail.com",
                           formula='of:=CONCATENATE("smtp.";"acme-mail.com")')
    host.addElement(text.P(text="smtp.acme-mail.com"))
    sheet.addElement(row(string("Ben Ode"), string("ben@acme-mail.com"), string("ben"), string("two  spaces"),
                         host, number(2525), empty(4), boolean(True)))
    sheet.addElement(row(string("Cy"), string("cy@acme-mail.com"), empty(2), string("mail.acme-mail.com"),
                         number(465), empty(5), string("weekly")))
    archive = table.Table(name="Archive")
    archive.addElement(row(string("from_email"), string("smtp_host")))
    archive.addElement(row(string("old@old-mail.com"), string("smtp.old-mail.com")))
    document.spreadsheet.addElement(sheet)
    document.spreadsheet.addElement(archive)
    document.save(os.path.join(HERE, "odfpy.ods"))


def libreoffice_copies():
    with tempfile.TemporaryDirectory() as scratch:
        profile = "-env:UserInstallation=file://" + os.path.join(scratch, "profile")
        for target in ["xlsx", "ods", "xls"]:
            out = os.path.join(scratch, target)
            subprocess.run(["soffice", profile, "--headless", "--convert-to", target, "--outdir", out,
                            os.path.join(HERE, "odfpy.ods")], check=True, capture_output=True)
            shutil.copy(os.path.join(out, "odfpy." + target), os.path.join(HERE, "libreoffice." + target))


def sample_workbook():
    rows = ["First Name,Last Name,Email,SMTP Host,SMTP Port,SMTP Username,SMTP Password,SMTP SSL,"
            "IMAP Host,IMAP Port,IMAP Username,IMAP Password,IMAP SSL"]
    people = [("Nancy", "Davolio"), ("Andrew", "Fuller"), ("Janet", "Leverling"), ("Margaret", "Peacock"),
              ("Steven", "Buchanan"), ("Michael", "Suyama"), ("Robert", "King"), ("Laura", "Callahan")]
    for index, (first, last) in enumerate(people):
        email = f"{first.lower()}.{last.lower()}@northwind-sales.com"
        # Some passwords are all digits: LibreOffice types them as numbers, as Excel would.
        password = f"{20260000 + index * 7919}" if index % 3 == 0 else f"Nw-{last[:3]}{index}!x"
        tls = "TRUE" if index % 2 else "FALSE"
        rows.append(f"{first},{last},{email},smtp.northwind-sales.com,{465 if index % 2 else 587},{email},{password},"
                    f"{tls},imap.northwind-sales.com,993,{email},{password},TRUE")
    samples = os.path.normpath(os.path.join(HERE, "../../../samples"))
    with tempfile.TemporaryDirectory() as scratch:
        source = os.path.join(scratch, "northwind-mailboxes.csv")
        with open(source, "w") as out:
            out.write("\n".join(rows) + "\n")
        profile = "-env:UserInstallation=file://" + os.path.join(scratch, "profile")
        subprocess.run(["soffice", profile, "--headless", "--convert-to", "xlsx", "--outdir", scratch, source],
                       check=True, capture_output=True)
        shutil.copy(os.path.join(scratch, "northwind-mailboxes.xlsx"), os.path.join(samples, "northwind-mailboxes.xlsx"))


def changed(source, target, replace=None, add=None):
    """Copies a zip's parts, replacing or adding some, as a tool that edits workbooks would."""
    with zipfile.ZipFile(os.path.join(HERE, source)) as original, \
            zipfile.ZipFile(os.path.join(HERE, target), "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if replace and item.filename in replace:
                data = replace[item.filename]
            copy.writestr(item.filename, data)
        for name, data in (add or {}).items():
            copy.writestr(name, data)


def understate(path, part, size):
    """Writes `size` as the part's inflated size in its local header and in the central directory."""
    with open(path, "rb") as original:
        data = bytearray(original.read())
    local = zipfile.ZipFile(path).getinfo(part).header_offset
    struct.pack_into("<I", data, local + 22, size)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + length].decode() == part:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    with open(path, "wb") as out:
        out.write(data)


def hostile_copies():
    sheet = "xl/worksheets/sheet1.xml"
    changed("openpyxl.xlsx", "macro.xlsm", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(508)})
    bomb = b'<?xml version="1.0"?><worksheet><sheetData>' + b" " * (600 << 20) + b"</sheetData></worksheet>"
    changed("openpyxl.xlsx", "bomb.xlsx", replace={sheet: bomb})
    changed("openpyxl.xlsx", "liar.xlsx",
            replace={sheet: b'<?xml version="1.0"?><worksheet><sheetData>' + b" " * (8 << 20) + b"</sheetData></worksheet>"})
    understate(os.path.join(HERE, "liar.xlsx"), sheet, 4096)
    entities = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
                b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row>'
                b'<row r="2"><c r="A2" t="inlineStr"><is><t>&secret;</t></is></c></row></sheetData></worksheet>')
    changed("openpyxl.xlsx", "entities.xlsx", replace={sheet: entities})
    latin1 = ('<?xml version="1.0" encoding="ISO-8859-1"?><worksheet><sheetData><row r="1">'
              '<c r="A1" t="inlineStr"><is><t>Email</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>'
              '<row r="2"><c r="A2" t="inlineStr"><is><t>zoe@acme-mail.com</t></is></c>'
              '<c r="B2" t="inlineStr"><is><t>Zoé</t></is></c></row></sheetData></worksheet>').encode("latin-1")
    changed("openpyxl.xlsx", "latin1.xlsx", replace={sheet: latin1})
    with open(os.path.join(HERE, "libreoffice.xlsx"), "rb") as whole:
        data = whole.read()
    with open(os.path.join(HERE, "truncated.xlsx"), "wb") as half:
        half.write(data[: len(data) // 2])
    with open(os.path.join(HERE, "openpyxl.xlsx"), "rb") as plain, open(os.path.join(HERE, "encrypted.xlsx"), "wb") as out:
        document = msoffcrypto.format.ooxml.OOXMLFile(plain)
        document.encrypt("s3cret-Passw0rd", out)


if __name__ == "__main__":
    openpyxl_workbook()
    odfpy_workbook()
    libreoffice_copies()
    hostile_copies()
    sample_workbook()
