"""Writes ../exact-accounts.xlsx, the Exact Online accounts export of the sample data.

Regenerate (from the crate root):

    pip install xlsxwriter
    python3 sample-data/generators/exact_accounts.py

The workbook imitates an export of Exact Online's "Accounts" list: the first sheet is
named "Accounts", Code and Postcode are numeric cells (as Exact writes them), and Created
is a real date cell. The broken lines are listed in sample-data/README.md; if you change
the rows, update that table too (tests/sample_data.rs compares them).
"""

import datetime
import os

import xlsxwriter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, os.pardir, "exact-accounts.xlsx")

HEADERS = [
    "Code", "Name", "AddressLine1", "Postcode", "City", "Country", "Email", "Phone",
    "VATNumber", "ChamberOfCommerce", "Language", "Created",
]

D = datetime.date
ROWS = [
    # Code, Name, AddressLine1, Postcode, City, Country, Email, Phone, VATNumber,
    # ChamberOfCommerce, Language, Created
    (1001, "Houthandel Vermeersch NV", "Torhoutsesteenweg 610", 8400, "Oostende", "BE",
     "boekhouding@houthandel-vermeersch.be", "059 70 41 22", "BE0792867607", "0792867607",
     "NL", D(2019, 3, 14)),
    (1002, "Électricité Gérard SRL", "Rue Haute 187", 1000, "Bruxelles", "BE",
     "facturation@electricite-gerard.be", "02 512 48 30", "BE0808343065", "0808343065",
     "FR", D(2019, 6, 2)),
    (1003, "Agrotech Haspengouw BV", "Tiensesteenweg 210", 3800, "Sint-Truiden", "BE",
     "admin@agrotech-haspengouw.be", "011 68 25 90", "BE0823970953", "0823970953",
     "NL", D(2020, 1, 20)),
    # A French customer in Bourg-en-Bresse: postcode 01000 typed into a numeric cell
    # lost its leading zero.
    (1004, "Vins & Spiritueux de l'Ain SARL", "14 rue des Tanneurs", 1000, "Bourg-en-Bresse",
     "FR", "compta@vins-de-lain.fr", "+33 4 74 22 18 90", "FR71439128752", "439128752",
     "FR", D(2020, 5, 11)),
    (1005, "Kinderdagverblijf De Speelboom vzw", "Kapelstraat 21", 3010, "Kessel-Lo", "BE",
     "info@despeelboom.be", "016 35 72 18", "", "0834448339", "NL", D(2020, 9, 3)),
    (1006, "Transports Lux-Ardennes S.A.", "42, route d'Arlon", 8009, "Strassen", "LU",
     "dispatch@transports-luxardennes.lu", "+352 26 31 45 67", "LU16918900", "B145872",
     "FR", D(2021, 2, 15)),
    # A comma typed for the dot in the e-mail domain.
    (1007, "Schrijnwerkerij Dockx BV", "Turnhoutsebaan 144", 2110, "Wijnegem", "BE",
     "facturen@dockx-schrijnwerk,be", "03 353 28 71", "BE0847774852", "0847774852",
     "NL", D(2021, 6, 30)),
    (1008, "Cabinet Dentaire Rasquin SRL", "Rue de Herve 92", 4020, "Liège", "BE",
     "secretariat@cabinet-rasquin.be", "04 343 17 26", "BE0860195802", "0860195802",
     "FR", D(2022, 1, 10)),
    # An extension after the switchboard number, which a phone field cannot hold.
    (1009, "Flanders Marine Supplies NV", "Skaldenstraat 7", 9042, "Gent", "BE",
     "ap@flandersmarine.be", "+32 9 265 40 00 ext. 214", "BE0871672583", "0871672583",
     "EN", D(2022, 8, 22)),
    (1010, "Pâtisserie Delforge SRL", "Rue de Namur 61", 1400, "Nivelles", "BE",
     "commandes@patisserie-delforge.be", "067 21 48 36", "BE0886782512", "0886782512",
     "FR", D(2023, 3, 7)),
    (1011, "Loodgieterij Mariën & Zoon BV", "Liersesteenweg 77", 2220, "Heist-op-den-Berg",
     "BE", "info@loodgieterij-marien.be", "015 24 80 63", "BE0891863332", "0891863332",
     "NL", D(2023, 11, 28)),
    (1012, "Verhuurbedrijf Podium Plus BV", "Aarschotsesteenweg 310", 3012, "Leuven", "BE",
     "verhuur@podiumplus.be", "0470 55 19 82", "BE1002303473", "1002303473", "NL",
     D(2024, 6, 17)),
]


def main():
    workbook = xlsxwriter.Workbook(OUT)
    # A fixed creation time keeps the file identical from one run to the next.
    workbook.set_properties({
        "title": "Accounts",
        "author": "Exact Online",
        "created": datetime.datetime(2025, 1, 6, 9, 30),
    })
    sheet = workbook.add_worksheet("Accounts")
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write_row(0, 0, HEADERS, bold)
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value == "":
                continue
            else:
                sheet.write_string(r, c, value)
    widths = [8, 34, 26, 10, 18, 8, 36, 24, 16, 18, 9, 12]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    workbook.close()


if __name__ == "__main__":
    main()
