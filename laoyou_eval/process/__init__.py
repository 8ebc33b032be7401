"""Process and dosage: what the programme delivered, to whom, and how much.

The process records of a study folder (``process/`` in ``data/raw/demo/``) are read into typed
tables and summarised:

* buddy contacts (``buddy_contacts.csv``) — contacts, hours and modes per pair, per month,
  per mode (:func:`contact_summary`);
* activities (``activity_attendance.csv``) — sessions, person-visits and people reached per
  activity and participant type, and the partner venues (:func:`activity_summary`,
  :func:`venue_summary`);
* the volunteer pipeline (``volunteers.csv``, ``volunteer_training.csv``) — trained → service
  team → reserve, training hours, module attendance and assessment scores
  (:func:`volunteer_pipeline`, :func:`volunteer_summary`, :func:`training_summary`);
* supported-job placements (``job_placements.csv``) — employer type, hours, distance, still in
  post (:func:`job_summary`);
* who answered the residents' questionnaires, self or proxy (:func:`answered_by`).

Privacy: the volunteer roster holds names and phone numbers; :func:`read_volunteers` keeps
only the columns listed in :data:`VOLUNTEER_COLUMNS`, so they never reach a result.  Counts of
people are in columns named ``n`` (or ``count``), which report tables show as "<5" when small.

>>> from laoyou_eval import config, process
>>> records = process.read_process(config.DEMO_STUDY_DIR)                 # doctest: +SKIP
>>> process.volunteer_pipeline(records.volunteers)                        # doctest: +SKIP
"""

from laoyou_eval.process.records import (  # noqa: F401  (public names of the former process module)
                                         FILES,
                                         IN_POST,
                                         VOLUNTEER_COLUMNS,
                                         VOLUNTEER_STATUS,
                                         YES_NO,
                                         ProcessRecords,
                                         read_attendance,
                                         read_contacts,
                                         read_jobs,
                                         read_process,
                                         read_training,
                                         read_volunteers,
)
from laoyou_eval.process.sentences import (  # noqa: F401
                                         SMALL_COUNT,
                                         describe_activities,
                                         describe_contacts,
                                         describe_jobs,
                                         describe_pipeline,
                                         people,
                                         proxy_sentence,
)
from laoyou_eval.process.summaries import (
                                         activity_summary,
                                         answered_by,
                                         contact_summary,
                                         enrolled_counts,
                                         job_summary,
                                         overview,
                                         training_summary,
                                         venue_summary,
                                         volunteer_pipeline,
                                         volunteer_summary,
)

__all__ = ["FILES", "ProcessRecords", "read_process", "read_contacts", "read_attendance",
           "read_volunteers", "read_training", "read_jobs", "contact_summary", "activity_summary", "venue_summary",
           "enrolled_counts", "volunteer_pipeline", "volunteer_summary", "training_summary", "job_summary",
           "answered_by", "overview", "people", "describe_contacts", "describe_activities", "describe_pipeline",
           "describe_jobs", "proxy_sentence"]
