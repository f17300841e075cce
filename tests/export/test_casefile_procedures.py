"""The case file is the same for every procedure of the catalogue: a measure's case exports with
its documents and recording, and the archive verifies on its own."""

import pytest

from sanxiang.casefile.services import case_file_export
from sanxiang.cases.models import IssuedDocument
from sanxiang_verify.verify import case_file_verify
from tests.cases.support import world_make
from tests.cases.test_coercion_cases import to_in_force

pytestmark = pytest.mark.django_db


def test_a_seizure_case_exports_with_its_documents_and_recording_and_verifies(tmp_path):
    w = world_make()
    case = to_in_force(w)
    issued = IssuedDocument.objects.filter(case=case).count()
    assert issued == 3  # 现场笔录, 扣押决定书, 清单

    path = tmp_path / "seizure.zip"
    summary = case_file_export(case=case, destination=path, actor=w.officer)
    report = case_file_verify(str(path), vkeys=[summary.vkey])
    assert report.ok, [f.text() for f in report.findings]
    # Each document is there as PDF and DOCX; the audio-video recording of the seizure as evidence.
    assert report.files["documents"] == 2 * issued
    assert report.files["evidence"] >= 1
