"""Request bodies of the MyDHL API 3.3.1, built from small plain objects.

Pure functions, nothing from ``odoo``: the carrier turns its records into :class:`Party` and
:class:`Goods` and hands them here, and the plain-Python tests build the same bodies without a
database. Every length and code limit comes from ``const`` (the spec's ``maxLength``s).
"""

from dataclasses import dataclass

from . import const, dhl_utils


@dataclass(frozen=True)
class Party:
    """A shipper or a receiver, as DHL needs it (a contact's fields, already read)."""

    name: str
    company_name: str
    street: str  # street and street2, one text: split into DHL's lines here
    phone: str
    email: str = ""
    # customs registration (of the commercial entity, issued by its country)
    registration_country: str = ""
    vat: str = ""
    eori: str = ""


@dataclass(frozen=True)
class Goods:
    """One line of goods: a product, its quantity in its unit and its unit price."""

    description: str  # the English customs description
    hs_code: str
    origin_country: str
    quantity: float
    unit_price: float
    weight_kg: float
    name: str = ""  # shown to people (the product's display name)


def hs_digits(code):
    """An HS code as DHL takes it: digits only (``9403.60`` -> ``940360``)."""
    return "".join(c for c in (code or "") if c not in ". ")


def rate_address(postal_code, city, country_code):
    """``customerDetails.*Details`` of a rate request (no street needed)."""
    return {
        "postalCode": (postal_code or "").strip(),
        "cityName": city.strip()[: const.CITY_MAX_LENGTH],
        "countryCode": country_code,
    }


def package(weight_kg, dimensions=None, reference=None):
    """A ``packages[]`` item: weight in kg (at least a gram), size in cm, our reference."""
    vals = {"weight": max(round(weight_kg, 3), 0.001)}
    if reference:
        vals["customerReferences"] = [
            {"value": reference[: const.REFERENCE_MAX_LENGTH], "typeCode": "CU"}
        ]
    if dimensions:
        vals["dimensions"] = dict(
            zip(("length", "width", "height"), (round(d, 3) for d in dimensions), strict=True)
        )
    return vals


def rate_request(shipper, receiver, packages, declarable, value, currency, product_code=None):
    """The ``POST /rates`` body; ``shipper``/``receiver`` are :func:`rate_address` dicts and
    ``plannedShippingDateAndTime`` is filled in by the caller."""
    vals = {
        "customerDetails": {"shipperDetails": shipper, "receiverDetails": receiver},
        "plannedShippingDateAndTime": "",
        "unitOfMeasurement": "metric",
        "isCustomsDeclarable": declarable,
        "nextBusinessDay": True,
        "packages": packages,
    }
    if product_code:
        vals["productCode"] = product_code
    if declarable and value > 0:
        vals["monetaryAmount"] = [
            {"typeCode": "declaredValue", "value": round(value, 3), "currency": currency}
        ]
    return vals


def landed_cost_request(customer_details, product_code, currency, packages, goods):
    """The ``POST /landed-cost`` body: DHL's estimate of duties, taxes and fees."""
    return {
        "customerDetails": customer_details,
        "productCode": product_code,
        "unitOfMeasurement": "metric",
        "currencyCode": currency,
        "isCustomsDeclarable": True,
        "getCostBreakdown": True,
        "shipmentPurpose": "commercial",
        "packages": packages,
        "items": [
            {
                "number": number,
                "name": item.description[: const.LINE_DESCRIPTION_MAX_LENGTH] or item.name,
                "manufacturerCountry": item.origin_country,
                "quantity": item.quantity,
                "quantityType": "prt",
                "unitPrice": round(item.unit_price, 3),
                "unitPriceCurrencyCode": currency,
                "commodityCode": hs_digits(item.hs_code)[: const.COMMODITY_CODE_MAX_LENGTH],
            }
            for number, item in enumerate(goods, 1)
        ],
    }


def rate_request_of_shipment(payload):
    """The ``POST /rates`` body pricing an already built ``POST /shipments`` body (for an
    account whose bookings come back without charges)."""
    content = payload["content"]
    return {
        "customerDetails": {
            kind: {
                key: details["postalAddress"][key]
                for key in ("postalCode", "cityName", "countryCode")
            }
            for kind, details in payload["customerDetails"].items()
        },
        "plannedShippingDateAndTime": payload["plannedShippingDateAndTime"],
        "unitOfMeasurement": "metric",
        "isCustomsDeclarable": content["isCustomsDeclarable"],
        "productCode": payload["productCode"],
        "packages": [
            {key: item[key] for key in ("weight", "dimensions") if key in item}
            for item in content["packages"]
        ],
    }


def party_details(party, address):
    """``customerDetails.*Details`` of a shipment: ``address`` (a :func:`rate_address`, maybe
    in DHL's spelling) with the street lines, and the contact."""
    postal = dict(address)
    lines = dhl_utils.split_address_lines(party.street)
    postal.update({f"addressLine{i}": line for i, line in enumerate(lines, 1)})
    contact = {
        "phone": party.phone[: const.PHONE_MAX_LENGTH],
        "companyName": party.company_name[: const.COMPANY_NAME_MAX_LENGTH],
        "fullName": party.name[: const.FULL_NAME_MAX_LENGTH],
    }
    if party.email:
        contact["email"] = party.email[: const.EMAIL_MAX_LENGTH]
    return {"postalAddress": postal, "contactInformation": contact}


def registration_numbers(party):
    """``registrationNumbers``: the VAT and EORI numbers customs ask of the parties."""
    if not party.registration_country:
        return []
    numbers = []
    for type_code, number in (("VAT", party.vat), ("EOR", party.eori)):
        number = "".join((number or "").split())
        if number:
            numbers.append(
                {
                    "typeCode": type_code,
                    "number": number[: const.REGISTRATION_NUMBER_MAX_LENGTH],
                    "issuerCountryCode": party.registration_country,
                }
            )
    return numbers


def line_item(number, item):
    """``exportDeclaration.lineItems[]``: one line of goods for customs."""
    weight = round(item.weight_kg, 3)
    return {
        "number": number,
        "description": item.description,
        "price": round(item.unit_price, 3),
        "quantity": {"value": int(item.quantity), "unitOfMeasurement": "PCS"},
        "commodityCodes": [{"typeCode": "outbound", "value": hs_digits(item.hs_code)}],
        "manufacturerCountry": item.origin_country,
        "weight": {"netValue": weight, "grossValue": weight},
    }


def export_declaration(goods, invoice_number, invoice_date, signatory="", title="", place=""):
    """``content.exportDeclaration``: the data DHL draws the commercial invoice up from."""
    invoice = {"number": invoice_number, "date": invoice_date}
    if signatory:
        invoice["signatureName"] = signatory[: const.SIGNATURE_MAX_LENGTH].strip()
    if (title or "").strip():
        invoice["signatureTitle"] = title.strip()[: const.SIGNATURE_MAX_LENGTH]
    vals = {
        "lineItems": [line_item(number, item) for number, item in enumerate(goods, 1)],
        "invoice": invoice,
        "exportReasonType": "commercial_purpose_or_sale",
    }
    place = (place or "").strip()[: const.PLACE_OF_INCOTERM_MAX_LENGTH]
    if place:
        vals["placeOfIncoterm"] = place
    return vals


def invoice_image_options():
    """``outputImageProperties.imageOptions[]`` asking DHL for the commercial invoice."""
    return {
        "typeCode": const.INVOICE_DOCUMENT_TYPE,
        "isRequested": True,
        "invoiceType": const.INVOICE_TYPE_COMMERCIAL,
        "languageCode": const.INVOICE_LANGUAGE_CODE,
    }


def content_description(goods, fallback):
    """``content.description``: the goods' distinct descriptions, else ``fallback``."""
    description = ", ".join(dict.fromkeys(item.description for item in goods))
    return (description or fallback)[: const.CONTENT_DESCRIPTION_MAX_LENGTH].strip()


@dataclass(frozen=True)
class Shipment:
    """What one ``POST /shipments`` books: the carrier's choices and the delivery's data."""

    planned: str  # ``plannedShippingDateAndTime``
    product_code: str
    reference: str  # the delivery's name, found again in MyDHL by it
    shipper: Party
    shipper_address: dict
    receiver: Party
    receiver_address: dict
    packages: list
    goods: list
    declarable: bool
    currency: str
    incoterm: str = "DAP"
    pickup: bool = False
    paperless_trade: bool = False
    export_declaration: dict = None


def shipment_request(shipment):
    """The ``POST /shipments`` body of a :class:`Shipment`."""
    content = {
        "packages": shipment.packages,
        "isCustomsDeclarable": shipment.declarable,
        "description": content_description(shipment.goods, shipment.reference),
        "incoterm": shipment.incoterm,
        "unitOfMeasurement": "metric",
    }
    vals = {
        "plannedShippingDateAndTime": shipment.planned,
        "pickup": {"isRequested": bool(shipment.pickup)},
        "productCode": shipment.product_code,
        "customerReferences": [
            {"value": shipment.reference[: const.REFERENCE_MAX_LENGTH], "typeCode": "CU"}
        ],
        "customerDetails": {
            "shipperDetails": party_details(shipment.shipper, shipment.shipper_address),
            "receiverDetails": party_details(shipment.receiver, shipment.receiver_address),
        },
        "content": content,
    }
    if shipment.declarable:
        for details, party in (
            ("shipperDetails", shipment.shipper),
            ("receiverDetails", shipment.receiver),
        ):
            numbers = registration_numbers(party)
            if numbers:
                vals["customerDetails"][details]["registrationNumbers"] = numbers
        value = sum(item.quantity * round(item.unit_price, 3) for item in shipment.goods)
        content["declaredValue"] = round(value, 3)
        content["declaredValueCurrency"] = shipment.currency
        content["exportDeclaration"] = shipment.export_declaration
        # DHL draws up the commercial invoice from the declaration: with paperless trade it
        # also sends it to customs itself; without, staff print it for the goods.
        vals["outputImageProperties"] = {"imageOptions": [invoice_image_options()]}
        if shipment.paperless_trade:
            vals["valueAddedServices"] = [{"serviceCode": const.PAPERLESS_TRADE_SERVICE}]
    return vals
