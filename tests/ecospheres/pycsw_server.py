"""A real pycsw 2.6 CSW server on loopback for the tests, run as a subprocess:

    python pycsw_server.py RECORDS_DIR WORK_DIR

creates an SQLite repository in WORK_DIR, loads every ISO 19139 file of RECORDS_DIR with pycsw's
own loader, serves pycsw's WSGI application with wsgiref on 127.0.0.1 (free port), prints the port,
and appends one line per request to WORK_DIR/requests.log. `/broken` forwards requests to pycsw
with an unknown typeNames, so pycsw itself answers with an ows:ExceptionReport.
"""

import logging
import sys
import warnings
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

warnings.simplefilter("ignore")  # pycsw 2.6 imports pkg_resources and cgi: not our warnings


def main(records: str, work: str) -> None:
    from pycsw import server
    from pycsw.core import admin, config

    work_dir = Path(work)
    database = f"sqlite:///{work_dir / 'records.db'}"
    home = str(Path(server.__file__).resolve().parent)
    context = config.StaticContext()
    admin.setup_db(database, "records", home)
    loaded = admin.load_records(context, database, "records", records)
    log = work_dir / "requests.log"
    settings = {
        "server": {
            "home": home,
            "url": "http://127.0.0.1/csw",
            "mimetype": "application/xml; charset=UTF-8",
            "encoding": "UTF-8",
            "language": "en-US",
            "maxrecords": "100",
            "pretty_print": "false",
            "gzip_compresslevel": "0",
            "federatedcatalogues": "",
            "profiles": "apiso",
        },
        "manager": {"transactions": "false", "allowed_ips": "127.0.0.1"},
        "metadata:main": {
            "identification_title": "CSW de test",
            "identification_abstract": "pycsw pour les tests d'Écosphères",
            "identification_keywords": "test",
            "identification_keywords_type": "theme",
            "identification_fees": "None",
            "identification_accessconstraints": "None",
            "provider_name": "Communs",
            "provider_url": "http://127.0.0.1/",
            "contact_name": "Test",
            "contact_position": "Test",
            "contact_address": "-",
            "contact_city": "-",
            "contact_stateorprovince": "-",
            "contact_postalcode": "-",
            "contact_country": "France",
            "contact_phone": "-",
            "contact_fax": "-",
            "contact_email": "test@example.org",
            "contact_url": "http://127.0.0.1/",
            "contact_hours": "-",
            "contact_instructions": "-",
            "contact_role": "pointOfContact",
        },
        "repository": {"database": database, "table": "records"},
        "metadata:inspire": {"enabled": "false"},
    }

    def application(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        with log.open("a") as handle:
            handle.write(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}\n")
        if environ["PATH_INFO"] == "/broken":
            body = body.replace(b'typeNames="gmd:MD_Metadata"', b'typeNames="gmd:Inconnu"')
        import io

        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        csw = server.Csw(settings, environ, version="2.0.2")
        status, contents = csw.dispatch_wsgi()
        start_response(status, [("Content-Type", csw.contenttype), ("Content-Length", str(len(contents)))])
        return [contents]

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    httpd = make_server("127.0.0.1", 0, application, handler_class=Quiet)
    sys.stdout.write(f"{httpd.server_port} {len(loaded)}\n")
    sys.stdout.flush()
    httpd.serve_forever()


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)
    main(sys.argv[1], sys.argv[2])
