"""Read Siak's 2022 index and domains through the API, then score its levels with POST /score.

API_URL=http://127.0.0.1:8000/api/v1 API_TOKEN=spbe_... python scripts/api_example.py
"""

import os
from typing import Any

import requests

api = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1").rstrip("/")
http = requests.Session()
http.headers["Authorization"] = f"Token {os.environ['API_TOKEN']}"


def get(path: str, **params: str | int) -> Any:
    response = http.get(f"{api}{path}", params=params, timeout=30)
    response.raise_for_status()
    return response.json()


evaluation = get("/evaluations/", instansi="kabupaten-siak", year=2022)["results"][0]
final = get(f"/evaluations/{evaluation['id']}/index/")["final"]
print(f"{evaluation['instansi_name']} {evaluation['year']}: {final['index']['value']} {final['index']['predicate']}")
for group in (g for g in final["groups"] if g["kind"] == "domain"):
    print(f"  {group['code']} {group['name']}: {group['value']} {group['predicate']}")

# The final level of every indicator, scored again by the engine: the same figure comes back.
answers = get(f"/evaluations/{evaluation['id']}/answers/")["results"]
levels = {str(a["indicator"]): list(a["values"].values())[-1] for a in answers if a["values"]}
scored = http.post(f"{api}/score", json={"items": [{"id": "siak-2022", "levels": levels}]}, timeout=30)
scored.raise_for_status()
result = scored.json()["results"][0]
print(f"POST /score: {result['index']} {result['predicate']}")
