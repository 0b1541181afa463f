"""The published layouts of data.police.uk files, and the crime categories over the years.

Source: data.police.uk "About" page (CSV layouts) and its changelog of crime categories. Street-level files
hold crimes and anti-social behaviour incidents; outcomes and stop-and-search files are optional.
"""

STREET = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOMES = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
]
STOP_AND_SEARCH = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]
LAYOUTS = {"street": STREET, "outcomes": OUTCOMES, "stop-and-search": STOP_AND_SEARCH}

ASB = "Anti-social behaviour"

# The 14 categories published since May 2013 (Theft from the person and Bicycle theft split out in 2013,
# Possession of weapons and Public order split from "Public disorder and weapons").
CRIME_TYPES = [
    ASB,
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
]

# Categories published before May 2013, mapped to the nearest category of today. Where an old category was
# later split, it is mapped to the part that took most of it, so series across 2013 are approximate.
OLD_CRIME_TYPES = {
    "Violent crime": "Violence and sexual offences",  # to Apr 2013; sexual offences were in "Other crime"
    "Public disorder and weapons": "Public order",  # split into Public order and Possession of weapons
    "Other theft": "Other theft",  # before Mar 2013 it also held bicycle theft and theft from the person
    "Violence and sexual offences": "Violence and sexual offences",
}

KNOWN_CRIME_TYPES = set(CRIME_TYPES) | set(OLD_CRIME_TYPES)
