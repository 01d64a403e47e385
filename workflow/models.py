"""Every module's models, imported once: the registry Alembic compares against."""

from .accounts.models import ApiToken, LoginFailure, PasswordReset, Role, User  # noqa: F401
from .actions.models import Action, ActionTransition, ActionTranslation, FinalReport  # noqa: F401
from .activities.models import Activity, ActivityTransition, Deliverable, ExpertSlot  # noqa: F401
from .audit.models import AuditEntry  # noqa: F401
from .calls.models import Call, CallAnswer, CallRecipient, FocalProposal  # noqa: F401
from .core.models import DataVersion, FormSubmission  # noqa: F401
from .database import Base  # noqa: F401
from .deployments.models import Deployment, DeploymentTransition  # noqa: F401
from .evaluations.models import DeploymentRating, Evaluation, EvaluationNonce, EvaluationResponse  # noqa: F401
from .experts.models import Consent, Expert, ExpertLanguage, ExpertTheme, Unavailability  # noqa: F401
from .finance.models import ActionBudgetLine, AllowanceRate, BudgetOverrun, CostLine, FeeRate  # noqa: F401
from .governance.models import (  # noqa: F401
    Consultation,
    ConsultationAnswer,
    Decision,
    DecisionCriterion,
    EligibilityCriterion,
    SteeringMember,
)
from .knowledge.models import EventDocument, EventParticipants, KnowledgeEvent, Practice  # noqa: F401
from .missions.models import (  # noqa: F401
    AssignmentLetter,
    ChecklistItem,
    ClaimItem,
    ClaimTransition,
    ExpenseClaim,
    LetterAcceptance,
    MissionLogistics,
)
from .notifications.models import Notification, NotificationEmail, NotificationPreference  # noqa: F401
from .plans.models import PlanTemplate, PlanTemplateItem, PlanTemplateSlot  # noqa: F401
from .privacy.models import Erasure  # noqa: F401
from .reference.models import Country, Institution, Region, SubTopic, ThematicArea  # noqa: F401
from .reminders.models import EmailMessage, Reminder, ReminderRule, ReminderWording  # noqa: F401
from .requests.models import Request, RequestTransition  # noqa: F401
from .results.models import (  # noqa: F401
    DeliverableStage,
    ExpectedResult,
    Indicator,
    Measurement,
    ResultsFramework,
)
