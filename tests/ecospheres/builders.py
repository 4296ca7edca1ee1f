# ruff: noqa: E501 - real ISO 19139 and Turtle lines, kept whole to stay readable as XML
"""Real-format fixtures written by code: ISO 19139 records, DCAT Turtle, CKAN and udata JSON pages."""

from xml.sax.saxutils import escape

ISO_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco"
  xmlns:gml="http://www.opengis.net/gml">
  <gmd:fileIdentifier><gco:CharacterString>{identifier}</gco:CharacterString></gmd:fileIdentifier>
  <gmd:language><gco:CharacterString>fre</gco:CharacterString></gmd:language>
  <gmd:hierarchyLevel><gmd:MD_ScopeCode codeList="./resources/codeList.xml#MD_ScopeCode" codeListValue="dataset">dataset</gmd:MD_ScopeCode></gmd:hierarchyLevel>
  <gmd:contact><gmd:CI_ResponsibleParty>
    <gmd:organisationName><gco:CharacterString>{organisation}</gco:CharacterString></gmd:organisationName>
    <gmd:contactInfo><gmd:CI_Contact><gmd:address><gmd:CI_Address><gmd:electronicMailAddress><gco:CharacterString>contact@example.org</gco:CharacterString></gmd:electronicMailAddress></gmd:CI_Address></gmd:address></gmd:CI_Contact></gmd:contactInfo>
    <gmd:role><gmd:CI_RoleCode codeList="./resources/codeList.xml#CI_RoleCode" codeListValue="pointOfContact">pointOfContact</gmd:CI_RoleCode></gmd:role>
  </gmd:CI_ResponsibleParty></gmd:contact>
  <gmd:dateStamp><gco:Date>{modified}</gco:Date></gmd:dateStamp>
  <gmd:identificationInfo><gmd:MD_DataIdentification>
    <gmd:citation><gmd:CI_Citation>
      <gmd:title><gco:CharacterString>{title}</gco:CharacterString></gmd:title>
      <gmd:date><gmd:CI_Date><gmd:date><gco:Date>{modified}</gco:Date></gmd:date>
        <gmd:dateType><gmd:CI_DateTypeCode codeList="./resources/codeList.xml#CI_DateTypeCode" codeListValue="revision">revision</gmd:CI_DateTypeCode></gmd:dateType></gmd:CI_Date></gmd:date>
    </gmd:CI_Citation></gmd:citation>
    <gmd:abstract><gco:CharacterString>{abstract}</gco:CharacterString></gmd:abstract>
    <gmd:pointOfContact><gmd:CI_ResponsibleParty>
      <gmd:organisationName><gco:CharacterString>{organisation}</gco:CharacterString></gmd:organisationName>
      <gmd:role><gmd:CI_RoleCode codeList="./resources/codeList.xml#CI_RoleCode" codeListValue="publisher">publisher</gmd:CI_RoleCode></gmd:role>
    </gmd:CI_ResponsibleParty></gmd:pointOfContact>
    <gmd:resourceMaintenance><gmd:MD_MaintenanceInformation><gmd:maintenanceAndUpdateFrequency>
      <gmd:MD_MaintenanceFrequencyCode codeList="./resources/codeList.xml#MD_MaintenanceFrequencyCode" codeListValue="annually">annually</gmd:MD_MaintenanceFrequencyCode>
    </gmd:maintenanceAndUpdateFrequency></gmd:MD_MaintenanceInformation></gmd:resourceMaintenance>
    <gmd:descriptiveKeywords><gmd:MD_Keywords><gmd:keyword><gco:CharacterString>eau</gco:CharacterString></gmd:keyword></gmd:MD_Keywords></gmd:descriptiveKeywords>
    <gmd:resourceConstraints><gmd:MD_LegalConstraints><gmd:otherConstraints><gco:CharacterString>Licence Ouverte Etalab 2.0</gco:CharacterString></gmd:otherConstraints></gmd:MD_LegalConstraints></gmd:resourceConstraints>
    <gmd:language><gco:CharacterString>fre</gco:CharacterString></gmd:language>
    <gmd:topicCategory><gmd:MD_TopicCategoryCode>inlandWaters</gmd:MD_TopicCategoryCode></gmd:topicCategory>
    <gmd:extent><gmd:EX_Extent><gmd:geographicElement><gmd:EX_GeographicBoundingBox>
      <gmd:westBoundLongitude><gco:Decimal>-2.3</gco:Decimal></gmd:westBoundLongitude>
      <gmd:eastBoundLongitude><gco:Decimal>-1.0</gco:Decimal></gmd:eastBoundLongitude>
      <gmd:southBoundLatitude><gco:Decimal>47.6</gco:Decimal></gmd:southBoundLatitude>
      <gmd:northBoundLatitude><gco:Decimal>48.7</gco:Decimal></gmd:northBoundLatitude>
    </gmd:EX_GeographicBoundingBox></gmd:geographicElement></gmd:EX_Extent></gmd:extent>
  </gmd:MD_DataIdentification></gmd:identificationInfo>
  <gmd:distributionInfo><gmd:MD_Distribution><gmd:transferOptions><gmd:MD_DigitalTransferOptions><gmd:onLine><gmd:CI_OnlineResource>
    <gmd:linkage><gmd:URL>{url}</gmd:URL></gmd:linkage>
    <gmd:protocol><gco:CharacterString>WWW:DOWNLOAD-1.0-http--download</gco:CharacterString></gmd:protocol>
    <gmd:name><gco:CharacterString>Fichier CSV</gco:CharacterString></gmd:name>
  </gmd:CI_OnlineResource></gmd:onLine></gmd:MD_DigitalTransferOptions></gmd:transferOptions></gmd:MD_Distribution></gmd:distributionInfo>
</gmd:MD_Metadata>
"""


def iso_record(identifier, title, organisation="DREAL Bretagne", modified="2026-03-01", abstract="", url=""):
    return ISO_TEMPLATE.format(
        identifier=escape(identifier),
        title=escape(title),
        organisation=escape(organisation),
        modified=modified,
        abstract=escape(abstract or f"Description de {title}."),
        url=escape(url or f"https://geo.example.org/{identifier}.csv"),
    )


def dcat_dataset(
    uri, identifier, title, publisher="Eau du Bassin Rennais", description="", modified="2026-01-15", extra=""
):
    return f"""
<{uri}> a dcat:Dataset ;
    dct:title "{title}"@fr ;
    dct:description "{description or "Jeu de données de test."}"@fr ;
    dct:identifier "{identifier}" ;
    dct:publisher [ a foaf:Agent ; foaf:name "{publisher}" ] ;
    dct:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> ;
    dct:modified "{modified}"^^xsd:date ;
    dct:spatial <http://id.insee.fr/geo/departement/35> ;
    dcat:keyword "eau"@fr ;
    dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://data.example.org/{identifier.rstrip("/").rsplit("/", 1)[-1].lower()}.csv> ;
        dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] {extra}.
"""


DCAT_PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
"""
