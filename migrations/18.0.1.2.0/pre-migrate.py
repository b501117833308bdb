# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.2.0: one profile refresh pass per day; a complaint's ``name`` is
its subject, its sequence ``number``.

Before, ``name`` held the number. The number moves to the new column, and the
subject is taken from the customer's words (their first line, at most 80
characters, as ``subject_from_words`` does), else the category, else
"Complaint". Mail templates of complaints that showed ``object.name`` meant the
number: they now show ``object.number``.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    _one_pass_per_day(cr)
    _subject_and_number(cr)


def _one_pass_per_day(cr):
    """One profile refresh pass per day (a unique date from this version on):
    keep the most advanced pass of each day, drop the others."""
    cr.execute(
        SQL(
            """DELETE FROM customer_profile_refresh r
                USING (SELECT id, row_number() OVER (
                              PARTITION BY date
                              ORDER BY done DESC, processed DESC, id DESC) AS rank
                         FROM customer_profile_refresh) ranked
                WHERE ranked.id = r.id AND ranked.rank > 1"""
        )
    )


def _subject_and_number(cr):
    """The number moves to ``number``, the subject comes from the words."""
    cr.execute(
        SQL(
            """
            SELECT 1 FROM information_schema.columns
             WHERE table_name = 'customer_complaint' AND column_name = 'number'
            """
        )
    )
    if cr.fetchone():
        return
    cr.execute(SQL("ALTER TABLE customer_complaint ADD COLUMN number varchar"))
    # One statement: the first non-empty line of the words, blanks squeezed.
    cr.execute(
        SQL(
            """
            WITH subject AS (
                SELECT complaint.id,
                       (SELECT btrim(regexp_replace(line, '\\s+', ' ', 'g'))
                          FROM regexp_split_to_table(
                                   coalesce(complaint.customer_words, ''), '\\n'
                               ) WITH ORDINALITY AS lines(line, n)
                         WHERE line ~ '\\S'
                         ORDER BY n
                         LIMIT 1) AS line,
                       category.name ->> 'en_US' AS category
                  FROM customer_complaint complaint
                  LEFT JOIN customer_complaint_category category
                         ON category.id = complaint.category_id
            )
            UPDATE customer_complaint complaint
               SET number = complaint.name,
                   name = CASE
                       WHEN length(subject.line) > %(max)s
                       THEN rtrim(left(subject.line, %(max)s - 1)) || '…'
                       ELSE coalesce(subject.line, subject.category, 'Complaint')
                   END
              FROM subject
             WHERE subject.id = complaint.id
            """,
            max=80,
        )
    )
    _logger.info("Complaints: %s numbers moved to `number`, subjects set", cr.rowcount)
    cr.execute(
        SQL(
            """
            UPDATE mail_template
               SET subject = regexp_replace(
                       subject::text, '\\mobject\\.name\\M', 'object.number', 'g'
                   )::jsonb,
                   body_html = regexp_replace(
                       body_html::text, '\\mobject\\.name\\M', 'object.number', 'g'
                   )::jsonb
             WHERE model = 'customer.complaint'
               AND (subject::text ~ '\\mobject\\.name\\M'
                    OR body_html::text ~ '\\mobject\\.name\\M')
            """
        )
    )
    _logger.info("Complaint mail templates showing the number: %s", cr.rowcount)
