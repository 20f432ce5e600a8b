import { gql } from '@apollo/client';
import { CHILD_FIELDS } from './fragments';

// The signed-in parent and their children.
export const ME_QUERY = gql`
  query Me {
    me {
      id
      email
      firstName
      children {
        ...ChildFields
      }
    }
  }
  ${CHILD_FIELDS}
`;

export const ANALYTICS_DASHBOARD_QUERY = gql`
  query GetAnalyticsDashboard($childId: ID!, $periodDays: Int!) {
    getAnalyticsDashboard(childId: $childId, periodDays: $periodDays) {
      childId
      totalChanges
      averageChangesPerDay
      predictedRunOutDate
      sizeRecommendations {
        size
        confidence
      }
    }
  }
`;

export const NOTIFICATION_PREFERENCES_QUERY = gql`
  query GetNotificationPreferences {
    getNotificationPreferences {
      notificationsEnabled
      quietHoursStart
      quietHoursEnd
      notificationConsentGranted
      marketingConsentGranted
    }
  }
`;
